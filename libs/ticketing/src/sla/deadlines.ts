import type { EscalationSchedule, Phase } from '../ticket/events.js';
import type { Cycle, ExistingTicket, TicketState } from '../ticket/state.js';
import { pendingWarnings, warnablePhases, type CalendarLookup } from './warnings.js';

/**
 * The instants of a ticket the SLA watchdog waits on (KPIS.md "Phases and delays", issue 11):
 * the due of each open phase instance that can still become late (`delay`), and the next breach
 * warning of each (`warning`). Pure: the same state (and calendars) always give the same list.
 */
export type DeadlineKind = 'delay' | 'warning' | 'escalation';

export interface OpenDeadline {
  kind: DeadlineKind;
  phase: Phase;
  /** which instance: a pool wait's start instant (claim) or the cycle's number (response, resolution) */
  instance: string;
  /** when the watchdog acts: the due time (delay) or the warning's instant (warning) */
  dueAt: string;
  /** the warning's threshold (percent of the target); null otherwise */
  threshold: number | null;
  /** the escalation's level; null otherwise */
  level: number | null;
}

/**
 * Delays — claim: the open pool wait with a due not yet delayed. Response: the cycle's, unanswered,
 * not delayed. Resolution: the cycle's, not delayed. On hold the response and resolution clocks are
 * stopped, so a paused phase cannot become late: its due is open only if it had passed before
 * the hold began (then it is already late and decide records it at its original due).
 * Escalations — the next level of a late phase's recorded schedule, until the phase completes.
 * Warnings — the lowest threshold not yet warned of each phase instance whose clock runs (none on
 * hold); the next one appears once it is written. `calendars` resolves the clocks' calendar versions.
 */
export function openDeadlines(state: TicketState, calendars: CalendarLookup): OpenDeadline[] {
  if (!state.exists || state.status === 'closed') return [];
  const open: OpenDeadline[] = [];
  const wait = state.poolWait;
  if (wait !== null && wait.claimDueAt !== null && !wait.delayed) {
    open.push({ kind: 'delay', phase: 'claim', instance: wait.startedAt, dueAt: wait.claimDueAt, threshold: null, level: null });
  }
  const cycle = state.cycle;
  if (cycle.respondedAt === null && !cycle.responseDelayed) pushCycleDue(open, state, cycle, 'response', cycle.responseDueAt);
  if (!cycle.resolutionDelayed) pushCycleDue(open, state, cycle, 'resolution', cycle.resolutionDueAt);
  for (const phase of warnablePhases(state)) {
    const next = pendingWarnings(phase, calendars)[0];
    if (next !== undefined) {
      open.push({
        kind: 'warning',
        phase: next.phase,
        instance: next.instance,
        dueAt: next.warnAt,
        threshold: next.threshold,
        level: null,
      });
    }
  }
  const escalating: Array<[Phase, string, EscalationSchedule | null]> = [
    ['claim', wait?.startedAt ?? '', wait?.escalation ?? null],
    ['response', String(cycle.number), cycle.respondedAt === null ? cycle.responseEscalation : null],
    ['resolution', String(cycle.number), cycle.resolutionEscalation],
  ];
  for (const [phase, instance, schedule] of escalating) {
    // A level not above the ticket's escalation level is skipped (escalated by hand meanwhile); later ones still apply.
    const next = schedule?.levels.find((level) => level.level > state.escalationLevel);
    if (next !== undefined) open.push({ kind: 'escalation', phase, instance, dueAt: next.at, threshold: null, level: next.level });
  }
  return open;
}

function pushCycleDue(open: OpenDeadline[], ticket: ExistingTicket, cycle: Cycle, phase: Phase, dueAt: string | null): void {
  if (dueAt === null) return;
  // Same rule as decide's: late on hold only when the clock, stopped at the hold's start, had gone past the due.
  if (ticket.hold !== null && !(Date.parse(ticket.hold.startedAt) > Date.parse(dueAt))) return;
  open.push({ kind: 'delay', phase, instance: String(cycle.number), dueAt, threshold: null, level: null });
}
