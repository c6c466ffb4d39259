import type { TicketEvent } from '#ticketing';
import type { ClockTerms } from '#ticketing/sla/terms.js';

/**
 * A ticket's history as rows with instants: what the analysts' tables hold for one ticket.
 * Every figure of KPIS.md is computed from these rows as of any `asOf` (events after it do
 * not exist for a report), so nothing that depends on "now" is stored.
 *
 * `foldTicketHistory` is incremental: the projection keeps the history of each ticket and
 * applies new events to it, and a rebuild folds the whole stream; both use this function.
 */

export interface Classification {
  from: string;
  category: string;
  priority: string;
  /** the cycle's due times as this classification set them (null: no target) */
  responseDueAt: string | null;
  resolutionDueAt: string | null;
}

/** From entering a unit's pool (open, route, release, reopen) to the claim, or to leaving it. */
export interface PoolWaitRow {
  n: number;
  cycle: number;
  unitId: string;
  startedAt: string;
  claimDueAt: string | null;
  /** the calendar version of its claim clock; null: no claim target (no business TTC) */
  claimCalendarId: string | null;
  endedAt: string | null;
  endedBy: 'claim' | 'route' | 'close' | null;
  claimedBy: string | null;
}

/** The span with one unit: from entering it (open, route, reopen) to leaving it (route, close). */
export interface StintRow {
  n: number;
  cycle: number;
  unitId: string;
  startedAt: string;
  endedAt: string | null;
  endedBy: 'route' | 'close' | null;
}

/** The span one user holds the ticket: claim to release, route or close. */
export interface AssignmentRow {
  n: number;
  cycle: number;
  userId: string;
  unitId: string;
  assignedBy: string | null;
  claimedAt: string;
  endedAt: string | null;
  endedBy: 'release' | 'route' | 'close' | null;
  firstResponseAt: string | null;
}

/**
 * The calendar versions of a cycle's response and resolution clocks from an instant on: the
 * cycle's start, then each reclassification that recomputed them. Null: that clock has no
 * target, or the cycle no policy (no business measure).
 */
export interface CycleClocks {
  from: string;
  policyId: string | null;
  responseCalendarId: string | null;
  resolutionCalendarId: string | null;
}

/** From opening or reopening to the next close. Due times are the last recorded ones. */
export interface CycleRow {
  n: number;
  startedAt: string;
  unitId: string;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  /** in order of `from`; never empty */
  clocks: CycleClocks[];
  firstResponseAt: string | null;
  closedAt: string | null;
  closedByUserId: string | null;
  closedUnitId: string | null;
  resolution: string | null;
  requestMet: boolean | null;
}

export interface HoldRow {
  cycle: number;
  startedAt: string;
  endedAt: string | null;
  /** the due times as they stood when the hold began (a resume records the moved ones) */
  responseDueBefore: string | null;
  resolutionDueBefore: string | null;
}

export interface ResponseRow {
  n: number;
  cycle: number;
  at: string;
  userId: string;
  unitId: string;
  channel: string;
  solution: boolean;
}

export interface DelayRow {
  phase: 'claim' | 'response' | 'resolution';
  cycle: number;
  /** the pool wait's n for claim delays */
  poolWait: number | null;
  unitId: string;
  userId: string | null;
  dueAt: string;
  detectedAt: string;
}

export interface SurveyRow {
  at: string;
  score: number;
  resolved: boolean | null;
  resolvedOnFirstContact: boolean | null;
  channel: string;
  comment: string | null;
  /** the close it rates */
  cycle: number;
  closedAt: string;
  unitId: string;
  userId: string | null;
}

export interface MarkRow {
  at: string;
  kind: 'escalated' | 'reopened' | 'routed';
  /** escalation level, or null */
  level: number | null;
  /** for routes: whether the ticket had been claimed at least once before */
  afterFirstClaim: boolean;
  fromUnitId: string | null;
  toUnitId: string | null;
}

export interface TicketHistory {
  ticketId: string;
  revision: number;
  openedAt: string;
  /** occurredAt of the last event folded */
  lastEventAt: string;
  channel: string;
  customer: string;
  customerTier: string | null;
  product: string | null;
  subject: string;
  classifications: Classification[];
  poolWaits: PoolWaitRow[];
  stints: StintRow[];
  assignments: AssignmentRow[];
  cycles: CycleRow[];
  holds: HoldRow[];
  responses: ResponseRow[];
  delays: DelayRow[];
  surveys: SurveyRow[];
  marks: MarkRow[];
  /** where the ticket is after its last event */
  unitId: string;
  holder: string | null;
}

function last<T>(rows: T[]): T | undefined {
  return rows[rows.length - 1];
}

function replaceLast<T>(rows: T[], update: (row: T) => T): T[] {
  const row = last(rows);
  return row === undefined ? rows : [...rows.slice(0, -1), update(row)];
}

/** A clock's calendar version; null without a target or without a policy. */
function calendarOf(policyId: string | null, clock: ClockTerms | null): string | null {
  return policyId === null || clock === null ? null : clock.calendarId;
}

function openPoolWait(
  h: TicketHistory,
  unitId: string,
  at: string,
  d: { claimDueAt: string | null; claimClock: ClockTerms | null },
): PoolWaitRow[] {
  const cycle = last(h.cycles)?.n ?? 1;
  return [
    ...h.poolWaits,
    {
      n: h.poolWaits.length + 1,
      cycle,
      unitId,
      startedAt: at,
      claimDueAt: d.claimDueAt,
      claimCalendarId: d.claimClock?.calendarId ?? null,
      endedAt: null,
      endedBy: null,
      claimedBy: null,
    },
  ];
}

function endPoolWait(h: TicketHistory, at: string, endedBy: PoolWaitRow['endedBy'], claimedBy: string | null): PoolWaitRow[] {
  return replaceLast(h.poolWaits, (w) => (w.endedAt === null ? { ...w, endedAt: at, endedBy, claimedBy } : w));
}

function openStint(h: TicketHistory, unitId: string, at: string, cycle: number): StintRow[] {
  return [...h.stints, { n: h.stints.length + 1, cycle, unitId, startedAt: at, endedAt: null, endedBy: null }];
}

function endStint(h: TicketHistory, at: string, endedBy: StintRow['endedBy']): StintRow[] {
  return replaceLast(h.stints, (s) => (s.endedAt === null ? { ...s, endedAt: at, endedBy } : s));
}

function endAssignment(h: TicketHistory, at: string, endedBy: AssignmentRow['endedBy']): AssignmentRow[] {
  return replaceLast(h.assignments, (a) => (a.endedAt === null ? { ...a, endedAt: at, endedBy } : a));
}

interface CycleStart {
  unitId: string;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  policyId: string | null;
  responseClock: ClockTerms | null;
  resolutionClock: ClockTerms | null;
}

function cycleClocks(from: string, d: Pick<CycleStart, 'policyId' | 'responseClock' | 'resolutionClock'>): CycleClocks {
  return {
    from,
    policyId: d.policyId,
    responseCalendarId: calendarOf(d.policyId, d.responseClock),
    resolutionCalendarId: calendarOf(d.policyId, d.resolutionClock),
  };
}

function startCycle(n: number, at: string, d: CycleStart): CycleRow {
  return {
    n,
    startedAt: at,
    unitId: d.unitId,
    responseDueAt: d.responseDueAt,
    resolutionDueAt: d.resolutionDueAt,
    clocks: [cycleClocks(at, d)],
    firstResponseAt: null,
    closedAt: null,
    closedByUserId: null,
    closedUnitId: null,
    resolution: null,
    requestMet: null,
  };
}

function currentCycle(h: TicketHistory): CycleRow {
  const cycle = last(h.cycles);
  if (!cycle) throw new Error(`ticket ${h.ticketId} has no cycle`);
  return cycle;
}

export function foldTicketHistory(history: TicketHistory | undefined, event: TicketEvent): TicketHistory {
  const at = event.occurredAt;
  if (event.type === 'TicketOpened') {
    if (history) throw new Error(`ticket ${history.ticketId} opened twice`);
    const d = event.data;
    const empty: TicketHistory = {
      ticketId: d.ticketId,
      revision: 0,
      openedAt: at,
      lastEventAt: at,
      channel: d.channel,
      customer: d.customer,
      customerTier: d.customerTier,
      product: d.product,
      subject: d.subject,
      classifications: [
        { from: at, category: d.category, priority: d.priority, responseDueAt: d.responseDueAt, resolutionDueAt: d.resolutionDueAt },
      ],
      poolWaits: [],
      stints: [],
      assignments: [],
      cycles: [startCycle(1, at, d)],
      holds: [],
      responses: [],
      delays: [],
      surveys: [],
      marks: [],
      unitId: d.unitId,
      holder: null,
    };
    return { ...empty, poolWaits: openPoolWait(empty, d.unitId, at, d), stints: openStint(empty, d.unitId, at, 1) };
  }
  if (!history) throw new Error(`${event.type} before TicketOpened`);
  const h: TicketHistory = { ...history, revision: history.revision + 1, lastEventAt: at };
  const cycle = currentCycle(h);
  switch (event.type) {
    case 'TicketRouted': {
      const d = event.data;
      const wasHeld = h.holder !== null;
      const ended: TicketHistory = {
        ...h,
        poolWaits: wasHeld ? h.poolWaits : endPoolWait(h, at, 'route', null),
        assignments: wasHeld ? endAssignment(h, at, 'route') : h.assignments,
        stints: endStint(h, at, 'route'),
      };
      return {
        ...ended,
        unitId: d.toUnitId,
        holder: null,
        poolWaits: openPoolWait(ended, d.toUnitId, at, d),
        stints: openStint(ended, d.toUnitId, at, cycle.n),
        marks: [
          ...h.marks,
          { at, kind: 'routed', level: null, afterFirstClaim: h.assignments.length > 0, fromUnitId: d.fromUnitId, toUnitId: d.toUnitId },
        ],
      };
    }
    case 'TicketClaimed': {
      const d = event.data;
      return {
        ...h,
        holder: d.userId,
        poolWaits: endPoolWait(h, at, 'claim', d.userId),
        assignments: [
          ...h.assignments,
          {
            n: h.assignments.length + 1,
            cycle: cycle.n,
            userId: d.userId,
            unitId: d.unitId,
            assignedBy: d.assignedBy,
            claimedAt: at,
            endedAt: null,
            endedBy: null,
            firstResponseAt: null,
          },
        ],
      };
    }
    case 'TicketReleased':
      return {
        ...h,
        holder: null,
        assignments: endAssignment(h, at, 'release'),
        poolWaits: openPoolWait(h, h.unitId, at, event.data),
      };
    case 'TicketResponded': {
      const d = event.data;
      return {
        ...h,
        responses: [
          ...h.responses,
          { n: h.responses.length + 1, cycle: cycle.n, at, userId: d.userId, unitId: h.unitId, channel: d.channel, solution: d.solution },
        ],
        assignments: replaceLast(h.assignments, (a) =>
          a.endedAt === null && a.firstResponseAt === null && a.userId === d.userId ? { ...a, firstResponseAt: at } : a,
        ),
        cycles: replaceLast(h.cycles, (c) => (c.firstResponseAt === null ? { ...c, firstResponseAt: at } : c)),
      };
    }
    case 'TicketPutOnHold':
      return {
        ...h,
        holds: [
          ...h.holds,
          {
            cycle: cycle.n,
            startedAt: at,
            endedAt: null,
            responseDueBefore: cycle.responseDueAt,
            resolutionDueBefore: cycle.resolutionDueAt,
          },
        ],
      };
    case 'TicketResumed':
      return {
        ...h,
        holds: replaceLast(h.holds, (x) => (x.endedAt === null ? { ...x, endedAt: at } : x)),
        cycles: replaceLast(h.cycles, (c) => ({
          ...c,
          responseDueAt: event.data.responseDueAt,
          resolutionDueAt: event.data.resolutionDueAt,
        })),
      };
    case 'TicketReclassified':
      return {
        ...h,
        classifications: [
          ...h.classifications,
          {
            from: at,
            category: event.data.category,
            priority: event.data.priority,
            responseDueAt: event.data.responseDueAt,
            resolutionDueAt: event.data.resolutionDueAt,
          },
        ],
        cycles: replaceLast(h.cycles, (c) => ({
          ...c,
          responseDueAt: event.data.responseDueAt,
          resolutionDueAt: event.data.resolutionDueAt,
          clocks: [...c.clocks, cycleClocks(at, event.data)],
        })),
      };
    case 'TicketDelayed': {
      const d = event.data;
      const wait = last(h.poolWaits);
      return {
        ...h,
        delays: [
          ...h.delays,
          {
            phase: d.phase,
            cycle: cycle.n,
            poolWait: d.phase === 'claim' && wait ? wait.n : null,
            unitId: d.unitId,
            userId: d.userId,
            dueAt: d.dueAt,
            detectedAt: at,
          },
        ],
      };
    }
    case 'TicketBreachWarned':
      // A warning measures nothing the KPIs count (KPIS.md): the logbook shows it from the stream.
      return h;
    case 'TicketEscalated':
      return {
        ...h,
        marks: [
          ...h.marks,
          { at, kind: 'escalated', level: event.data.level, afterFirstClaim: h.assignments.length > 0, fromUnitId: null, toUnitId: null },
        ],
      };
    case 'TicketClosed': {
      const d = event.data;
      const wasHeld = h.holder !== null;
      return {
        ...h,
        holder: null,
        unitId: d.unitId,
        poolWaits: wasHeld ? h.poolWaits : endPoolWait(h, at, 'close', null),
        assignments: wasHeld ? endAssignment(h, at, 'close') : h.assignments,
        stints: endStint(h, at, 'close'),
        holds: replaceLast(h.holds, (x) => (x.endedAt === null ? { ...x, endedAt: at } : x)),
        cycles: replaceLast(h.cycles, (c) => ({
          ...c,
          closedAt: at,
          closedByUserId: d.userId,
          closedUnitId: d.unitId,
          resolution: d.resolution,
          requestMet: d.requestMet,
        })),
      };
    }
    case 'TicketReopened': {
      const d = event.data;
      const n = cycle.n + 1;
      const withCycle: TicketHistory = {
        ...h,
        unitId: d.unitId,
        holder: null,
        cycles: [...h.cycles, startCycle(n, at, d)],
        marks: [
          ...h.marks,
          { at, kind: 'reopened', level: null, afterFirstClaim: h.assignments.length > 0, fromUnitId: null, toUnitId: d.unitId },
        ],
      };
      return {
        ...withCycle,
        poolWaits: openPoolWait(withCycle, d.unitId, at, d),
        stints: openStint(withCycle, d.unitId, at, n),
      };
    }
    case 'TicketSurveyed': {
      const d = event.data;
      const rated = [...h.cycles].reverse().find((c) => c.closedAt !== null);
      if (!rated || rated.closedAt === null) throw new Error(`ticket ${h.ticketId} surveyed before any close`);
      return {
        ...h,
        surveys: [
          ...h.surveys,
          {
            at,
            score: d.score,
            resolved: d.resolved,
            resolvedOnFirstContact: d.resolvedOnFirstContact,
            channel: d.channel,
            comment: d.comment,
            cycle: rated.n,
            closedAt: rated.closedAt,
            unitId: rated.closedUnitId ?? h.unitId,
            userId: rated.closedByUserId,
          },
        ],
      };
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled event ${JSON.stringify(unhandled)}`);
    }
  }
}

export function ticketHistory(events: Iterable<TicketEvent>): TicketHistory | undefined {
  let history: TicketHistory | undefined;
  for (const event of events) history = foldTicketHistory(history, event);
  return history;
}
