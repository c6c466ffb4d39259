import { ALWAYS_OPEN, businessMsBetween, type BusinessCalendar } from '#ticketing';
import { CALENDAR_TIME_ID } from '#ticketing/sla/terms.js';
import type { AssignmentRow, CycleClocks, CycleRow, HoldRow, PoolWaitRow, TicketHistory } from './ticket-history.js';

/**
 * The business measures of KPIS.md "Business time" for one ticket: each the business time of its
 * span outside holds, in the calendar of the clock it belongs to. A measure is computed once its
 * span has ended (a completed measure never changes later), in the calendar version its clock
 * recorded as it stood at the span's end: at the clock's start, or at the reclassification that
 * last recomputed it by then. A clock without a calendar (no target, or no policy) has no
 * business measure: null. Seconds, millisecond parts kept.
 */

/** The calendar a recorded version id names; throws for an id it does not know (recorded ids always resolve). */
export type CalendarResolver = (calendarVersionId: string) => BusinessCalendar;

/** Resolves only calendar time (the 24/7 calendar): enough for histories whose clocks are all calendar time. */
export const CALENDAR_TIME_ONLY: CalendarResolver = (id) => {
  if (id === CALENDAR_TIME_ID) return ALWAYS_OPEN;
  throw new Error(`calendar version ${id} is not known to this projection (its CalendarDefined event was not seen)`);
};

/** Business seconds of [from, to) minus those of its overlap with each hold (holds of a ticket never overlap). */
export function businessSecondsOutsideHolds(calendar: BusinessCalendar, fromIso: string, toIso: string, holds: readonly HoldRow[]): number {
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  let ms = businessMsBetween(calendar, from, to);
  for (const hold of holds) {
    const start = Math.max(from, Date.parse(hold.startedAt));
    const end = Math.min(to, hold.endedAt === null ? to : Date.parse(hold.endedAt));
    ms -= businessMsBetween(calendar, start, end);
  }
  return ms / 1000;
}

/** The cycle's clocks in force at `at`: the last recorded at or before it. */
export function clocksAt(cycle: CycleRow, at: string): CycleClocks {
  const t = Date.parse(at);
  let found = cycle.clocks[0];
  for (const clocks of cycle.clocks) if (Date.parse(clocks.from) <= t) found = clocks;
  return found;
}

function measure(
  calendars: CalendarResolver,
  calendarId: string | null,
  from: string,
  to: string,
  holds: readonly HoldRow[],
): number | null {
  return calendarId === null ? null : businessSecondsOutsideHolds(calendars(calendarId), from, to, holds);
}

function cycleOf(h: TicketHistory, n: number): CycleRow {
  const cycle = h.cycles.find((c) => c.n === n);
  if (!cycle) throw new Error(`ticket ${h.ticketId} has no cycle ${n}`);
  return cycle;
}

/** FRT: opened → the first cycle's first response, in its response clock's calendar. */
export function frtBusiness(h: TicketHistory, calendars: CalendarResolver): number | null {
  const first = h.cycles[0];
  const at = first.firstResponseAt;
  return at === null ? null : measure(calendars, clocksAt(first, at).responseCalendarId, h.openedAt, at, h.holds);
}

/** TFS: opened → `solutionAt` (first solution or first close), in the first cycle's resolution clock's calendar. */
export function tfsBusiness(h: TicketHistory, solutionAt: string | null, calendars: CalendarResolver): number | null {
  const first = h.cycles[0];
  return solutionAt === null ? null : measure(calendars, clocksAt(first, solutionAt).resolutionCalendarId, h.openedAt, solutionAt, h.holds);
}

/** TRT as of the cycle's close (were it the last): opened → that close, in the cycle's resolution clock's calendar. */
export function trtBusiness(h: TicketHistory, cycle: CycleRow, calendars: CalendarResolver): number | null {
  const at = cycle.closedAt;
  return at === null ? null : measure(calendars, clocksAt(cycle, at).resolutionCalendarId, h.openedAt, at, h.holds);
}

/** TTC of a pool wait ended by a claim, in its claim clock's calendar; holds do not stop a claim clock. */
export function ttcBusiness(wait: PoolWaitRow, calendars: CalendarResolver): number | null {
  return wait.endedBy !== 'claim' || wait.endedAt === null
    ? null
    : measure(calendars, wait.claimCalendarId, wait.startedAt, wait.endedAt, []);
}

/** TAT of an assignment: claim → its holder's first response, in the response clock of the assignment's cycle. */
export function tatBusiness(h: TicketHistory, a: AssignmentRow, calendars: CalendarResolver): number | null {
  const at = a.firstResponseAt;
  return at === null ? null : measure(calendars, clocksAt(cycleOf(h, a.cycle), at).responseCalendarId, a.claimedAt, at, h.holds);
}

/** Handling time of an ended assignment, in the response clock of its cycle; null while it is open. */
export function handledBusiness(h: TicketHistory, a: AssignmentRow, calendars: CalendarResolver): number | null {
  const at = a.endedAt;
  return at === null ? null : measure(calendars, clocksAt(cycleOf(h, a.cycle), at).responseCalendarId, a.claimedAt, at, h.holds);
}

/**
 * The ticket's business handling time over its ended assignments: null when the ticket has no
 * policy (its first cycle's clocks, as last recorded, name none) or an ended assignment has no
 * business measure. The reports' SQL applies the same rule as of asOf.
 */
export function ticketHandledBusiness(h: TicketHistory, calendars: CalendarResolver): number | null {
  const first = h.cycles[0];
  if (first.clocks[first.clocks.length - 1].policyId === null) return null;
  let sum = 0;
  for (const a of h.assignments) {
    if (a.endedAt === null) continue;
    const handled = handledBusiness(h, a, calendars);
    if (handled === null) return null;
    sum += handled;
  }
  return sum;
}

/** Every calendar version id the ticket's clocks name (calendar time included), to resolve before building its rows. */
export function calendarIdsOf(h: TicketHistory): Set<string> {
  const ids = new Set<string>();
  for (const w of h.poolWaits) if (w.claimCalendarId !== null) ids.add(w.claimCalendarId);
  for (const c of h.cycles) {
    for (const clocks of c.clocks) {
      if (clocks.responseCalendarId !== null) ids.add(clocks.responseCalendarId);
      if (clocks.resolutionCalendarId !== null) ids.add(clocks.resolutionCalendarId);
    }
  }
  return ids;
}
