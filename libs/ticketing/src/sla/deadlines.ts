import type { Phase } from '../ticket/events.js';
import type { Cycle, ExistingTicket, TicketState } from '../ticket/state.js';

/**
 * The open phase instances of a ticket that can still become late (KPIS.md "Phases and
 * delays"): what the SLA watchdog waits on. Pure: the same state always gives the same list.
 */
export interface OpenDeadline {
  phase: Phase;
  /** which instance: a pool wait's start instant (claim) or the cycle's number (response, resolution) */
  instance: string;
  dueAt: string;
}

/**
 * Claim: the open pool wait with a due not yet delayed. Response: the cycle's, unanswered, not
 * delayed. Resolution: the cycle's, not delayed. On hold the response and resolution clocks are
 * stopped, so a paused phase cannot become late: its due is open only if it had passed before
 * the hold began (then it is already late and decide records it at its original due).
 */
export function openDeadlines(state: TicketState): OpenDeadline[] {
  if (!state.exists || state.status === 'closed') return [];
  const open: OpenDeadline[] = [];
  const wait = state.poolWait;
  if (wait !== null && wait.claimDueAt !== null && !wait.delayed) {
    open.push({ phase: 'claim', instance: wait.startedAt, dueAt: wait.claimDueAt });
  }
  const cycle = state.cycle;
  if (cycle.respondedAt === null && !cycle.responseDelayed) pushCycleDue(open, state, cycle, 'response', cycle.responseDueAt);
  if (!cycle.resolutionDelayed) pushCycleDue(open, state, cycle, 'resolution', cycle.resolutionDueAt);
  return open;
}

function pushCycleDue(open: OpenDeadline[], ticket: ExistingTicket, cycle: Cycle, phase: Phase, dueAt: string | null): void {
  if (dueAt === null) return;
  // Same rule as decide's: late on hold only when the clock, stopped at the hold's start, had gone past the due.
  if (ticket.hold !== null && !(Date.parse(ticket.hold.startedAt) > Date.parse(dueAt))) return;
  open.push({ phase, instance: String(cycle.number), dueAt });
}
