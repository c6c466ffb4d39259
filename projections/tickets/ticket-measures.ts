import type { CycleRow, TicketHistory } from './ticket-history.js';

/**
 * KPIS.md "Ticket measures" for one ticket, from its history as of `asOf` (the history must
 * hold only events that occurred by then). This is the plain-replay reference that the SQL
 * of the reports is checked against; durations are calendar seconds.
 */
export interface TicketMeasures {
  frt: number | null;
  /** per pool wait, in order: claim − start, or null if it ended unclaimed or is open */
  ttc: Array<number | null>;
  /** per assignment: the holder's first response − claim, or null */
  tat: Array<number | null>;
  tfs: number | null;
  trt: number | null;
  handling: number;
  responseState: 'on_time' | 'late' | 'pending';
  sameDay: boolean | null;
  fcrSystem: boolean;
  requestMet: boolean | null;
  escalated: boolean;
  reopened: boolean;
  closed: boolean;
  age: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function seconds(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
}

/** When the first cycle's response phase completed: its first response, or its close if unanswered. */
export function responseCompletedAt(cycle: CycleRow): string | null {
  return cycle.firstResponseAt ?? cycle.closedAt;
}

/**
 * The instant the response/resolution clock of a cycle has reached at `instant`: hold
 * freezes it at the hold's start.
 */
export function clockAt(history: TicketHistory, cycle: number, instant: string): string {
  const t = Date.parse(instant);
  const hold = history.holds.find(
    (h) => h.cycle === cycle && Date.parse(h.startedAt) <= t && (h.endedAt === null || Date.parse(h.endedAt) > t),
  );
  return hold ? hold.startedAt : instant;
}

function firstCycleResponseState(history: TicketHistory, asOf: string): TicketMeasures['responseState'] {
  const first = history.cycles[0];
  const recordedLate = history.delays.some((d) => d.phase === 'response' && d.cycle === 1);
  if (recordedLate) return 'late';
  const completed = responseCompletedAt(first);
  if (completed !== null) return 'on_time';
  if (first.responseDueAt !== null && Date.parse(clockAt(history, 1, asOf)) > Date.parse(first.responseDueAt)) return 'late';
  return 'pending';
}

export function ticketMeasures(history: TicketHistory, asOf: string): TicketMeasures {
  const first = history.cycles[0];
  const lastCycle = history.cycles[history.cycles.length - 1];
  const closed = lastCycle.closedAt !== null;
  const firstResponse = first.firstResponseAt;
  const firstSolution = history.responses.find((r) => r.solution)?.at ?? null;
  const firstClose = history.cycles.find((c) => c.closedAt !== null)?.closedAt ?? null;
  const solutionAt = [firstSolution, firstClose].filter((x): x is string => x !== null).sort()[0] ?? null;
  const completed = responseCompletedAt(first);
  const sameDay =
    completed !== null
      ? Date.parse(completed) - Date.parse(history.openedAt) <= DAY_MS
      : Date.parse(asOf) - Date.parse(history.openedAt) > DAY_MS
        ? false
        : null;
  const marks = (kind: string) => history.marks.filter((m) => m.kind === kind);
  return {
    frt: firstResponse === null ? null : seconds(history.openedAt, firstResponse),
    ttc: history.poolWaits.map((w) => (w.endedBy === 'claim' && w.endedAt !== null ? seconds(w.startedAt, w.endedAt) : null)),
    tat: history.assignments.map((a) => (a.firstResponseAt === null ? null : seconds(a.claimedAt, a.firstResponseAt))),
    tfs: solutionAt === null ? null : seconds(history.openedAt, solutionAt),
    trt: closed && lastCycle.closedAt !== null ? seconds(history.openedAt, lastCycle.closedAt) : null,
    handling: history.assignments.reduce((sum, a) => sum + seconds(a.claimedAt, a.endedAt ?? asOf), 0),
    responseState: firstCycleResponseState(history, asOf),
    sameDay,
    fcrSystem:
      closed &&
      lastCycle.resolution === 'resolved' &&
      marks('reopened').length === 0 &&
      history.responses.length <= 1 &&
      marks('escalated').length === 0 &&
      !marks('routed').some((m) => m.afterFirstClaim),
    requestMet: closed ? lastCycle.requestMet : null,
    escalated: marks('escalated').length > 0,
    reopened: marks('reopened').length > 0,
    closed,
    age: seconds(history.openedAt, asOf),
  };
}
