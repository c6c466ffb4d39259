import { subtractBusinessMs } from '../business-time/business-time.js';
import type { BusinessCalendar } from '../business-time/calendar.js';
import type { Phase } from '../ticket/events.js';
import type { ExistingTicket, TicketState } from '../ticket/state.js';
import type { ClockTerms } from './terms.js';

/**
 * Breach warnings (issue 11): at each of a clock's `warnings` thresholds — a percent of its target
 * — a `TicketBreachWarned`, once per threshold per phase instance. Pure: the thresholds are in the
 * clock's recorded terms, the calendar comes from the caller (decide's SLA lookups, the deadlines
 * projection's calendar table).
 */

/** A calendar version by its recorded id (`office@2`, `24x7@1`); throws for an unknown one. */
export type CalendarLookup = (calendarVersionId: string) => BusinessCalendar;

/** A phase instance that can still be warned of: open, not late yet, its clock running. */
export interface WarnablePhase {
  phase: Phase;
  /** as in OpenDeadline: the pool wait's start (claim) or the cycle's number */
  instance: string;
  clock: ClockTerms;
  dueAt: string;
  warned: readonly number[];
}

export interface PendingWarning {
  phase: Phase;
  instance: string;
  threshold: number;
  dueAt: string;
  warnAt: string;
}

/**
 * The instant `threshold`% of the target has elapsed, holds excluded: the due less (100 − threshold)%
 * of the target in the clock's calendar. From the due rather than the start, because a resume
 * already moved the due by the time on hold (and a reclassification replayed the cycle's holds).
 */
export function warnAtOf(calendar: BusinessCalendar, clock: ClockTerms, dueAt: string, threshold: number): string {
  const beforeDueMs = Math.round((clock.targetSeconds * 1000 * (100 - threshold)) / 100);
  return new Date(subtractBusinessMs(calendar, Date.parse(dueAt), beforeDueMs)).toISOString();
}

/**
 * The phase instances whose clocks run toward a due not yet late: the open pool wait (claim), the
 * cycle's unanswered response and its resolution. None on hold: the response and resolution clocks
 * stand still then, so no share of their target elapses (the claim clock has no hold: a pool has no holder).
 */
export function warnablePhases(state: TicketState): WarnablePhase[] {
  if (!state.exists || state.status === 'closed') return [];
  const phases: WarnablePhase[] = [];
  const wait = state.poolWait;
  if (wait !== null && wait.claimClock !== null && wait.claimDueAt !== null && !wait.delayed) {
    phases.push({ phase: 'claim', instance: wait.startedAt, clock: wait.claimClock, dueAt: wait.claimDueAt, warned: wait.warned });
  }
  if (state.hold !== null) return phases;
  const cycle = state.cycle;
  const instance = String(cycle.number);
  if (cycle.respondedAt === null && !cycle.responseDelayed && cycle.responseClock !== null && cycle.responseDueAt !== null) {
    phases.push({ phase: 'response', instance, clock: cycle.responseClock, dueAt: cycle.responseDueAt, warned: cycle.responseWarned });
  }
  if (!cycle.resolutionDelayed && cycle.resolutionClock !== null && cycle.resolutionDueAt !== null) {
    phases.push({
      phase: 'resolution',
      instance,
      clock: cycle.resolutionClock,
      dueAt: cycle.resolutionDueAt,
      warned: cycle.resolutionWarned,
    });
  }
  return phases;
}

/** The phase's warnings not yet written, lowest threshold first, each with its instant (before the due). */
export function pendingWarnings(phase: WarnablePhase, calendars: CalendarLookup): PendingWarning[] {
  const thresholds = (phase.clock.warnings ?? []).filter((threshold) => !phase.warned.includes(threshold));
  if (thresholds.length === 0) return [];
  const calendar = calendars(phase.clock.calendarId);
  return thresholds
    .map((threshold) => ({
      phase: phase.phase,
      instance: phase.instance,
      threshold,
      dueAt: phase.dueAt,
      warnAt: warnAtOf(calendar, phase.clock, phase.dueAt, threshold),
    }))
    .filter((warning) => Date.parse(warning.warnAt) < Date.parse(warning.dueAt));
}

/** The warnable instance of `phase`, if any. */
export function warnablePhase(ticket: ExistingTicket, phase: Phase): WarnablePhase | undefined {
  return warnablePhases(ticket).find((open) => open.phase === phase);
}
