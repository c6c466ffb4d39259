import type { TicketHistory } from './ticket-history.js';
import { responseCompletedAt } from './ticket-measures.js';

/**
 * A ticket is **settled** for a report whose asOf is at or after its last event: no event of
 * it happens between its last event and asOf, so every figure is what its rows say after the
 * last event, except where an open clock runs on — an open phase becomes delayed once asOf
 * passes its due time, an open assignment's handling time grows. This module computes those
 * figures once, when the projection writes the rows, so reports read settled tickets from one
 * row each instead of reconstructing them as of asOf (DESIGN note in docs/decisions.md,
 * "Settled tickets"). Each delay-like figure comes as a pair: a flag that holds for any
 * settled asOf, and the instant after which it holds too (`*_due_at`: it holds when
 * `*_due_at < asOf`). The report SQL's query-time path must give the same answers; a spec
 * compares both on every ticket.
 */

/** One custody interval as written to the custody table, in its `seq` order. */
export interface CustodyInterval {
  from: string;
  to: string | null;
  custodyState: 'in_pool' | 'held' | 'closed';
  unitId: string;
  userId: string | null;
  cycle: number;
}

/** A phase instance that is delayed for every settled asOf (`open: false`) or once asOf > dueAt. */
export interface SettledDelay {
  phase: 'claim' | 'response' | 'resolution';
  cycle: number;
  unitId: string;
  userId: string | null;
  dueAt: string;
  open: boolean;
}

const ms = (iso: string): number => Date.parse(iso);

/** The interval the ticket was in at an instant: the last one starting at or before it. */
export function custodyAt(custody: CustodyInterval[], instant: string): CustodyInterval | undefined {
  const t = ms(instant);
  let found: CustodyInterval | undefined;
  for (const interval of custody) if (ms(interval.from) <= t) found = interval;
  return found;
}

/**
 * Every delay of the ticket for a settled asOf, by KPIS.md "Phases and delays" and exactly as
 * the query-time SQL (reports/as-of/delays-as-of.sql.ts) finds them:
 * - claims from the pool waits: an ended wait whose due time passed before it ended; the open
 *   wait once asOf passes its due time;
 * - the recorded response and resolution delays;
 * - open response/resolution phases with no recorded delay, attributed to whoever held the
 *   ticket at the due time; on hold the clock stands at the hold's start, so whether such a
 *   phase is delayed no longer depends on asOf.
 */
export function settledDelays(h: TicketHistory, custody: CustodyInterval[]): SettledDelay[] {
  const delays: SettledDelay[] = [];
  for (const w of h.poolWaits) {
    if (w.claimDueAt === null) continue;
    if (w.endedAt === null)
      delays.push({ phase: 'claim', cycle: w.cycle, unitId: w.unitId, userId: null, dueAt: w.claimDueAt, open: true });
    else if (ms(w.claimDueAt) < ms(w.endedAt))
      delays.push({ phase: 'claim', cycle: w.cycle, unitId: w.unitId, userId: null, dueAt: w.claimDueAt, open: false });
  }
  for (const d of h.delays) {
    if (d.phase !== 'claim')
      delays.push({ phase: d.phase, cycle: d.cycle, unitId: d.unitId, userId: d.userId, dueAt: d.dueAt, open: false });
  }
  for (const c of h.cycles) {
    for (const phase of ['response', 'resolution'] as const) {
      const completedAt = phase === 'response' ? responseCompletedAt(c) : c.closedAt;
      if (completedAt !== null) continue;
      if (h.delays.some((d) => d.phase === phase && d.cycle === c.n)) continue;
      const hold = h.holds.find((x) => x.cycle === c.n && x.endedAt === null);
      const dueAt = hold
        ? phase === 'response'
          ? hold.responseDueBefore
          : hold.resolutionDueBefore
        : phase === 'response'
          ? c.responseDueAt
          : c.resolutionDueAt;
      if (dueAt === null) continue;
      const holder = custodyAt(custody, dueAt);
      if (!holder) continue;
      if (hold && !(ms(dueAt) < ms(hold.startedAt))) continue;
      delays.push({ phase, cycle: c.n, unitId: holder.unitId, userId: holder.userId, dueAt, open: !hold });
    }
  }
  return delays;
}

/** A flag for every settled asOf, and the earliest due time from which it holds otherwise. */
export interface SettledFlag {
  flag: boolean;
  dueAt: string | null;
}

/** Folds the matching delays into a flag and the earliest open due time. */
export function settledFlag(delays: SettledDelay[], matches: (d: SettledDelay) => boolean): SettledFlag {
  let flag = false;
  let dueAt: string | null = null;
  for (const d of delays) {
    if (!matches(d)) continue;
    if (!d.open) flag = true;
    else if (dueAt === null || ms(d.dueAt) < ms(dueAt)) dueAt = d.dueAt;
  }
  return { flag, dueAt };
}

/** Whether a due time falls within a span [from, to). */
export function dueWithin(dueAt: string, from: string, to: string | null): boolean {
  return ms(dueAt) >= ms(from) && (to === null || ms(dueAt) < ms(to));
}
