import type { RowOf } from '#read-model/projections/table-definition.js';
import {
  CALENDAR_TIME_ONLY,
  frtBusiness,
  handledBusiness,
  tatBusiness,
  tfsBusiness,
  ticketHandledBusiness,
  trtBusiness,
  ttcBusiness,
  type CalendarResolver,
} from './business-measures.js';
import { dueWithin, settledDelays, settledFlag, type CustodyInterval } from './settled.js';
import type { ASSIGNMENTS, STINTS, TicketRows } from './tables.js';
import type { TicketHistory } from './ticket-history.js';
import { responseCompletedAt, ticketMeasures } from './ticket-measures.js';

type StintRow = RowOf<typeof STINTS>;
type AssignmentRow = RowOf<typeof ASSIGNMENTS>;

function seconds(fromIso: string, toIso: string | null): number | null {
  return toIso === null ? null : (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
}

/** Where the ticket was, interval by interval, in the custody table's `seq` order. */
export function custodyIntervals(h: TicketHistory): CustodyInterval[] {
  const intervals: CustodyInterval[] = [
    ...h.poolWaits.map((w) => ({
      from: w.startedAt,
      to: w.endedAt,
      custodyState: 'in_pool' as const,
      unitId: w.unitId,
      userId: null,
      cycle: w.cycle,
    })),
    ...h.assignments.map((a) => ({
      from: a.claimedAt,
      to: a.endedAt,
      custodyState: 'held' as const,
      unitId: a.unitId,
      userId: a.userId,
      cycle: a.cycle,
    })),
    ...h.cycles
      .filter((c) => c.closedAt !== null)
      .map((c) => ({
        from: c.closedAt as string,
        to: h.cycles.find((next) => next.n === c.n + 1)?.startedAt ?? null,
        custodyState: 'closed' as const,
        unitId: c.closedUnitId ?? c.unitId,
        userId: null,
        cycle: c.n,
      })),
  ];
  // Stable order: by start, and a zero-length interval before the one it hands over to.
  return intervals
    .map((x, i) => ({ x, i }))
    .sort((a, b) => Date.parse(a.x.from) - Date.parse(b.x.from) || Number(a.x.to !== a.x.from) - Number(b.x.to !== b.x.from) || a.i - b.i)
    .map(({ x }) => x);
}

/**
 * One ticket's rows for every table of the projection. The result is typed by the tables'
 * declarations (tables.ts): a column left out or misspelt is a compile error, not a NULL.
 * `calendars` resolves the calendar versions its clocks name (the business measures).
 */
export function ticketRows(h: TicketHistory, calendars: CalendarResolver = CALENDAR_TIME_ONLY): TicketRows {
  const final = ticketMeasures(h, h.lastEventAt);
  const solutionAt = final.tfs === null ? null : new Date(Date.parse(h.openedAt) + final.tfs * 1000).toISOString();
  const first = h.cycles[0];
  const last = h.cycles[h.cycles.length - 1];
  const classification = h.classifications[h.classifications.length - 1];
  const openHold = h.holds.find((x) => x.endedAt === null);
  const custody = custodyIntervals(h);
  // Where the ticket is after its last event: the custody interval a query as of any later instant finds.
  const now = custody[custody.length - 1];
  const status = now.custodyState === 'held' ? (openHold ? 'on_hold' : 'in_progress') : now.custodyState;
  const firstOf = (kind: string) => h.marks.find((m) => m.kind === kind)?.at ?? null;
  const id = h.ticketId;
  const delays = settledDelays(h, custody);
  const responseLate = settledFlag(delays, (d) => d.phase === 'response' && d.cycle === 1);
  const slaBreached = settledFlag(delays, (d) => d.phase !== 'claim');
  const openAssignment = h.assignments.find((a) => a.endedAt === null);
  const closedNow = last.closedAt !== null;
  // The settled state repeated on the span-like rows (tables.ts ticketState), so a report reads one table.
  const ticketColumns: Pick<
    StintRow,
    | 'ticket_last_event_at'
    | 'ticket_custody_state'
    | 'ticket_unit_id'
    | 'category'
    | 'ticket_user_id'
    | 'ticket_channel'
    | 'ticket_priority'
    | 'ticket_status'
    | 'ticket_closed_at'
  > = {
    ticket_last_event_at: h.lastEventAt,
    ticket_custody_state: now.custodyState,
    ticket_unit_id: now.unitId,
    category: classification.category,
    ticket_user_id: now.custodyState === 'closed' ? (closedNow ? last.closedByUserId : null) : now.userId,
    ticket_channel: h.channel,
    ticket_priority: classification.priority,
    ticket_status: status,
    ticket_closed_at: last.closedAt,
  };
  return {
    tickets: [
      {
        ticket_id: id,
        revision: h.revision,
        opened_at: h.openedAt,
        channel: h.channel,
        customer: h.customer,
        customer_tier: h.customerTier,
        product: h.product,
        subject: h.subject,
        category: classification.category,
        priority: classification.priority,
        unit_id: now.unitId,
        holder: now.userId,
        custody_state: now.custodyState,
        status,
        last_event_at: h.lastEventAt,
        first_response_at: first.firstResponseAt,
        first_response_due_at: first.responseDueAt,
        response_completed_at: responseCompletedAt(first),
        first_solution_at: solutionAt,
        first_closed_at: h.cycles.find((c) => c.closedAt !== null)?.closedAt ?? null,
        last_closed_at: last.closedAt,
        closed: last.closedAt !== null,
        last_closed_by: last.closedAt !== null ? last.closedByUserId : null,
        last_resolution: last.resolution,
        request_met: last.closedAt !== null ? last.requestMet : null,
        escalation_level: Math.max(0, ...h.marks.filter((m) => m.kind === 'escalated').map((m) => m.level ?? 0)),
        first_escalated_at: firstOf('escalated'),
        first_reopened_at: firstOf('reopened'),
        routed_after_claim_at: h.marks.find((m) => m.kind === 'routed' && m.afterFirstClaim)?.at ?? null,
        reopen_count: h.marks.filter((m) => m.kind === 'reopened').length,
        response_count: h.responses.length,
        route_count: h.marks.filter((m) => m.kind === 'routed').length,
        pool_wait_count: h.poolWaits.length,
        assignment_count: h.assignments.length,
        cycle_count: h.cycles.length,
        frt_s: final.frt,
        first_ttc_s: final.ttc[0] ?? null,
        tfs_s: final.tfs,
        trt_s: final.trt,
        frt_business_s: frtBusiness(h, calendars),
        first_ttc_business_s: h.poolWaits.length === 0 ? null : ttcBusiness(h.poolWaits[0], calendars),
        tfs_business_s: tfsBusiness(h, solutionAt, calendars),
        trt_business_s: last.closedAt === null ? null : trtBusiness(h, last, calendars),
        fcr_system: final.fcrSystem,
        handled_s: h.assignments.reduce((sum, a) => sum + (a.endedAt === null ? 0 : (seconds(a.claimedAt, a.endedAt) ?? 0)), 0),
        handled_business_s: ticketHandledBusiness(h, calendars),
        open_claimed_at: openAssignment?.claimedAt ?? null,
        response_late: responseLate.flag,
        response_late_due_at: responseLate.dueAt,
        sla_breached: slaBreached.flag,
        sla_breached_due_at: slaBreached.dueAt,
        response_targeted: first.responseDueAt !== null,
        sla_targeted: h.cycles.some((c) => c.responseDueAt !== null || c.resolutionDueAt !== null),
      },
    ],
    classifications: h.classifications.map((c, i) => ({
      ticket_id: id,
      n: i + 1,
      valid_from: c.from,
      valid_to: h.classifications[i + 1]?.from ?? null,
      category: c.category,
      priority: c.priority,
      response_due_at: c.responseDueAt,
      resolution_due_at: c.resolutionDueAt,
    })),
    custody: custody.map((x, seq) => ({
      ticket_id: id,
      seq,
      valid_from: x.from,
      valid_to: x.to,
      custody_state: x.custodyState,
      unit_id: x.unitId,
      user_id: x.userId,
      cycle: x.cycle,
    })),
    cycles: h.cycles.map((c) => ({
      ticket_id: id,
      n: c.n,
      started_at: c.startedAt,
      unit_id: c.unitId,
      response_due_at: c.responseDueAt,
      resolution_due_at: c.resolutionDueAt,
      first_response_at: c.firstResponseAt,
      response_completed_at: responseCompletedAt(c),
      closed_at: c.closedAt,
      closed_by: c.closedByUserId,
      closed_unit_id: c.closedUnitId,
      resolution: c.resolution,
      request_met: c.requestMet,
      policy_id: c.clocks[c.clocks.length - 1].policyId,
      response_calendar_id: c.clocks[c.clocks.length - 1].responseCalendarId,
      resolution_calendar_id: c.clocks[c.clocks.length - 1].resolutionCalendarId,
      trt_business_s: trtBusiness(h, c, calendars),
    })),
    pool_waits: h.poolWaits.map((w) => ({
      ticket_id: id,
      n: w.n,
      cycle: w.cycle,
      unit_id: w.unitId,
      started_at: w.startedAt,
      claim_due_at: w.claimDueAt,
      ended_at: w.endedAt,
      ended_by: w.endedBy,
      claimed_by: w.claimedBy,
      ttc_s: w.endedBy === 'claim' ? seconds(w.startedAt, w.endedAt) : null,
      claim_calendar_id: w.claimCalendarId,
      ttc_business_s: ttcBusiness(w, calendars),
      ticket_opened_at: h.openedAt,
      ...ticketColumns,
    })),
    stints: h.stints.map((s): StintRow => {
      const within = (d: { unitId: string; dueAt: string }) => d.unitId === s.unitId && dueWithin(d.dueAt, s.startedAt, s.endedAt);
      const delayed = settledFlag(delays, (d) => d.phase !== 'claim' && within(d));
      const poolDelayed = settledFlag(delays, (d) => d.phase === 'claim' && within(d));
      return {
        ticket_id: id,
        n: s.n,
        cycle: s.cycle,
        unit_id: s.unitId,
        started_at: s.startedAt,
        ended_at: s.endedAt,
        ended_by: s.endedBy,
        ticket_opened_at: h.openedAt,
        ...ticketColumns,
        delayed: delayed.flag,
        delay_due_at: delayed.dueAt,
        pool_delayed: poolDelayed.flag,
        pool_delay_due_at: poolDelayed.dueAt,
        unit_stints: h.stints.filter((x) => x.unitId === s.unitId).length,
      };
    }),
    assignments: h.assignments.map((a): AssignmentRow => {
      const delayed = settledFlag(
        delays,
        (d) => d.phase !== 'claim' && d.unitId === a.unitId && d.userId === a.userId && dueWithin(d.dueAt, a.claimedAt, a.endedAt),
      );
      return {
        ticket_id: id,
        n: a.n,
        cycle: a.cycle,
        user_id: a.userId,
        unit_id: a.unitId,
        assigned_by: a.assignedBy,
        claimed_at: a.claimedAt,
        ended_at: a.endedAt,
        ended_by: a.endedBy,
        first_response_at: a.firstResponseAt,
        tat_s: seconds(a.claimedAt, a.firstResponseAt),
        tat_business_s: tatBusiness(h, a, calendars),
        handled_business_s: handledBusiness(h, a, calendars),
        ticket_opened_at: h.openedAt,
        ...ticketColumns,
        delayed: delayed.flag,
        delay_due_at: delayed.dueAt,
        user_assignments: h.assignments.filter((x) => x.userId === a.userId && x.unitId === a.unitId).length,
      };
    }),
    holds: h.holds.map((x, i) => ({
      ticket_id: id,
      n: i + 1,
      cycle: x.cycle,
      started_at: x.startedAt,
      ended_at: x.endedAt,
      response_due_before: x.responseDueBefore,
      resolution_due_before: x.resolutionDueBefore,
    })),
    responses: h.responses.map((r) => ({
      ticket_id: id,
      n: r.n,
      cycle: r.cycle,
      responded_at: r.at,
      user_id: r.userId,
      unit_id: r.unitId,
      channel: r.channel,
      solution: r.solution,
    })),
    delays: h.delays.map((d, i) => ({
      ticket_id: id,
      n: i + 1,
      phase: d.phase,
      cycle: d.cycle,
      pool_wait: d.poolWait,
      unit_id: d.unitId,
      user_id: d.userId,
      due_at: d.dueAt,
      detected_at: d.detectedAt,
    })),
    surveys: h.surveys.map((s, i) => ({
      ticket_id: id,
      n: i + 1,
      surveyed_at: s.at,
      score: s.score,
      resolved: s.resolved,
      resolved_on_first_contact: s.resolvedOnFirstContact,
      channel: s.channel,
      comment: s.comment,
      cycle: s.cycle,
      closed_at: s.closedAt,
      unit_id: s.unitId,
      user_id: s.userId,
      ticket_opened_at: h.openedAt,
      ...ticketColumns,
    })),
    escalations: h.marks
      .filter((m) => m.kind === 'escalated')
      .map((m, i) => ({ ticket_id: id, n: i + 1, escalated_at: m.at, level: m.level ?? 0 })),
    routes: h.marks
      .filter((m) => m.kind === 'routed')
      .map((m, i) => ({
        ticket_id: id,
        n: i + 1,
        routed_at: m.at,
        from_unit_id: m.fromUnitId ?? '',
        to_unit_id: m.toUnitId ?? '',
        after_first_claim: m.afterFirstClaim,
      })),
    reopenings: h.cycles.slice(1).map((c) => ({ ticket_id: id, cycle: c.n, reopened_at: c.startedAt, unit_id: c.unitId })),
    ticket_histories: [{ ticket_id: id, revision: h.revision, history: h }],
  };
}
