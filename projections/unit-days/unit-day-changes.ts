import type { TicketHistory } from '../tickets/ticket-history.js';

/**
 * What one ticket contributes to the daily series per unit (KPIS.md "Backlog"), as changes at
 * instants. A stock figure (backlog, over target, aging buckets) counts a ticket at the end of
 * a local day when the instant `t` = that end lies in one of the ticket's spans, so each span
 * becomes a +1 from the first end of day it contains and a −1 from the first end of day past
 * it: a ticket touches a handful of days, however long it stays open, and its future
 * (aging, a due time passing) is known at its last event. The flows (opened, closed) are a +1
 * on the day the event happens.
 *
 * The semantics are those of the query-time SQL (BACKLOG_SQL in
 * projections/tickets/reports/backlog/backlog.sql.ts):
 * - backlog at t: the custody intervals that are not `closed` (in a pool, or held — on hold
 *   included) with valid_from ≤ t < valid_to, each at its unit;
 * - over target: the resolution phase of the interval's cycle is delayed at t: its due time as
 *   it stood at t is before the resolution clock, which is t, or the hold's start while a hold
 *   is in progress (a hold stops the clock). That due time is the one of a hold in progress at
 *   t (as it stood when the hold began), else the one of the cycle's next hold after t, else
 *   the cycle's last recorded one;
 * - aging by t − the original opening: < 1 day, [1, 3), [3, 7), ≥ 7 days (lower bound included;
 *   a day is 86,400 s).
 *
 * The instants are mapped to local days in PostgreSQL (write-unit-days.ts), with the same
 * expressions the query-time SQL uses, so both agree on every zone's midnights.
 */

/** The figures of the series, in the column order of the `unit_days` table. */
export const UNIT_DAY_MEASURES = [
  'opened',
  'closed',
  'backlog',
  'over_target',
  'aged_lt1d',
  'aged_1to3d',
  'aged_3to7d',
  'aged_ge7d',
] as const;
export type UnitDayMeasure = (typeof UNIT_DAY_MEASURES)[number];

/**
 * A change of one figure of one unit. It belongs to the local day whose end is the first end
 * of day at or after `at` (`inclusive`), or strictly after it (not inclusive: that is the day
 * containing `at`). For a stock it changes the value at that end of day and every later one;
 * for a flow it counts on that day.
 */
export interface UnitDayChange {
  unitId: string;
  measure: UnitDayMeasure;
  /** ISO-8601 instant */
  at: string;
  inclusive: boolean;
  delta: number;
}

/** A unit and the start of the ticket's first stint with it. */
export interface UnitFirstStint {
  unitId: string;
  firstStintAt: string;
}

const DAY_MS = 86_400_000;

const AGE_BUCKETS: ReadonlyArray<[UnitDayMeasure, number, number]> = [
  ['aged_lt1d', 0, DAY_MS],
  ['aged_1to3d', DAY_MS, 3 * DAY_MS],
  ['aged_3to7d', 3 * DAY_MS, 7 * DAY_MS],
  ['aged_ge7d', 7 * DAY_MS, Number.POSITIVE_INFINITY],
];

/** A custody interval that is not `closed`: [from, to), `to` infinite while it lasts. */
interface OpenCustody {
  unitId: string;
  cycle: number;
  from: number;
  to: number;
}

/**
 * Where the cycle's resolution due time (as it stood) is constant: [from, to). Over target at
 * t in it once due < t; null: never within it.
 */
interface DueSegment {
  from: number;
  to: number;
  due: number | null;
}

const ms = (iso: string | null): number => (iso === null ? Number.POSITIVE_INFINITY : Date.parse(iso));
const dueMs = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** The pool waits and assignments: the custody intervals in a pool or held (ticket-rows.ts). */
function openCustody(h: TicketHistory): OpenCustody[] {
  return [
    ...h.poolWaits.map((w) => ({ unitId: w.unitId, cycle: w.cycle, from: ms(w.startedAt), to: ms(w.endedAt) })),
    ...h.assignments.map((a) => ({ unitId: a.unitId, cycle: a.cycle, from: ms(a.claimedAt), to: ms(a.endedAt) })),
  ].filter((k) => k.from < k.to);
}

/**
 * The cycle's resolution due time as the query-time SQL reads it at t: a hold in progress
 * (started ≤ t < ended) gives its `resolutionDueBefore`; otherwise the next hold starting
 * after t gives its own; after the last hold ended, the cycle's last recorded due time. So
 * the value changes only where a hold ends.
 *
 * The segment up to a hold's end takes in the hold, which stops the resolution clock at its
 * start: a due time the hold found still ahead (due ≥ start) was not reached before the hold
 * (t < start ≤ due) nor during it (the clock stands at start), so the segment is never over
 * target; one that had passed is over target from the due time on, the hold included.
 */
function dueSegments(h: TicketHistory, cycle: number): DueSegment[] {
  const last = h.cycles.find((c) => c.n === cycle);
  if (!last) throw new Error(`ticket ${h.ticketId}: custody of cycle ${cycle}, which it does not have`);
  const segments: DueSegment[] = [];
  let from = Number.NEGATIVE_INFINITY;
  for (const hold of h.holds.filter((x) => x.cycle === cycle).sort((a, b) => ms(a.startedAt) - ms(b.startedAt))) {
    const to = ms(hold.endedAt);
    const due = dueMs(hold.resolutionDueBefore);
    segments.push({ from, to, due: due !== null && due < ms(hold.startedAt) ? due : null });
    from = to;
    if (to === Number.POSITIVE_INFINITY) return segments;
  }
  segments.push({ from, to: Number.POSITIVE_INFINITY, due: dueMs(last.resolutionDueAt) });
  return segments;
}

/**
 * Receives a ticket's changes one at a time, `at` in epoch ms (infinite: never, left out).
 * `ChangeSet` nets one ticket's; the per-stream rebuild sums a whole chunk's into its rows.
 */
export interface UnitDayChangeSink {
  add(unitId: string, measure: UnitDayMeasure, at: number, inclusive: boolean, delta: number): void;
}

class ChangeSet implements UnitDayChangeSink {
  private readonly deltas = new Map<string, { unitId: string; measure: UnitDayMeasure; at: number; inclusive: boolean; delta: number }>();

  add(unitId: string, measure: UnitDayMeasure, at: number, inclusive: boolean, delta: number): void {
    if (at === Number.POSITIVE_INFINITY) return;
    const key = `${unitId}\u0000${measure}\u0000${at}\u0000${inclusive ? 1 : 0}`;
    const known = this.deltas.get(key);
    if (known) known.delta += delta;
    else this.deltas.set(key, { unitId, measure, at, inclusive, delta });
  }

  /** The net changes, zero ones left out, in a stable order (so equal tickets give equal lists). */
  list(): UnitDayChange[] {
    return [...this.deltas.values()]
      .filter((change) => change.delta !== 0)
      .map((change) => ({ ...change, at: new Date(change.at).toISOString() }))
      .sort(
        (a, b) =>
          compare(a.unitId, b.unitId) || compare(a.measure, b.measure) || compare(a.at, b.at) || Number(a.inclusive) - Number(b.inclusive),
      );
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** +1 for the ends of day in [from, to): from the first end ≥ from (or > from), to the first end ≥ to. */
function span(sink: UnitDayChangeSink, unitId: string, measure: UnitDayMeasure, from: number, fromInclusive: boolean, to: number): void {
  sink.add(unitId, measure, from, fromInclusive, 1);
  if (to !== Number.POSITIVE_INFINITY) sink.add(unitId, measure, to, true, -1);
}

/** Every change one ticket's history contributes (see the module comment), netted. */
export function unitDayChanges(h: TicketHistory): UnitDayChange[] {
  const changes = new ChangeSet();
  addUnitDayChanges(h, changes);
  return changes.list();
}

/** Every change one ticket's history contributes, handed to `sink` as found (not netted). */
export function addUnitDayChanges(h: TicketHistory, changes: UnitDayChangeSink): void {
  const opened = ms(h.openedAt);
  const openingUnit = h.cycles[0]?.unitId ?? h.stints[0]?.unitId;
  if (openingUnit === undefined) throw new Error(`ticket ${h.ticketId} has no opening unit`);
  changes.add(openingUnit, 'opened', opened, false, 1);
  // Closes by the unit: every TicketClosed, at the closing unit, on the day it happens; a
  // ticket closed, reopened and closed again counts once per close.
  for (const c of h.cycles) if (c.closedAt !== null) changes.add(c.closedUnitId ?? c.unitId, 'closed', ms(c.closedAt), false, 1);

  const segmentsByCycle = new Map<number, DueSegment[]>();
  for (const k of openCustody(h)) {
    span(changes, k.unitId, 'backlog', k.from, true, k.to);
    for (const [measure, lower, upper] of AGE_BUCKETS) {
      const from = Math.max(k.from, opened + lower);
      const to = Math.min(k.to, opened + upper);
      if (from < to) span(changes, k.unitId, measure, from, true, to);
    }
    let segments = segmentsByCycle.get(k.cycle);
    if (!segments) {
      segments = dueSegments(h, k.cycle);
      segmentsByCycle.set(k.cycle, segments);
    }
    for (const segment of segments) {
      if (segment.due === null) continue;
      const from = Math.max(k.from, segment.from);
      const to = Math.min(k.to, segment.to);
      // Over target at t ∈ [from, to) once due < t: from `from` if the due time is before it,
      // else from strictly after the due time.
      if (from >= to || segment.due >= to) continue;
      if (segment.due < from) span(changes, k.unitId, 'over_target', from, true, to);
      else span(changes, k.unitId, 'over_target', segment.due, false, to);
    }
  }
}

/** `after − before`, netted: what a ticket's new history changes in the series. */
export function changesBetween(before: readonly UnitDayChange[], after: readonly UnitDayChange[]): UnitDayChange[] {
  const net = new ChangeSet();
  for (const c of before) net.add(c.unitId, c.measure, Date.parse(c.at), c.inclusive, -c.delta);
  for (const c of after) net.add(c.unitId, c.measure, Date.parse(c.at), c.inclusive, c.delta);
  return net.list();
}

/** Each unit the ticket has had a stint with, and when the first one started. */
export function unitFirstStints(h: TicketHistory): UnitFirstStint[] {
  const first = new Map<string, string>();
  for (const s of h.stints) {
    const known = first.get(s.unitId);
    if (known === undefined || ms(s.startedAt) < ms(known)) first.set(s.unitId, s.startedAt);
  }
  return [...first.entries()].map(([unitId, firstStintAt]) => ({ unitId, firstStintAt }));
}
