import { SETTLED_AS_OF_COLUMNS } from './tickets-as-of.sql.js';

/**
 * CTEs `delay_flags` and `ticket_facts`: the measures of KPIS.md "Ticket measures" for each ticket of
 * `tickets_as_of`, as of `$1` (asOf), plus the ticket's KPI-summary grouping: unit_id and
 * user_id are the current holder's, or for a closed ticket those of its last close (its
 * user in `group_user_id`). Needs `delays_as_of`, `query_time_tickets` and `settled`
 * (tickets-as-of.sql.ts): the query-time tickets are measured from their instants, the
 * settled ones from their rows, where only the open clocks still depend on asOf.
 *
 * Durations are calendar seconds; frt_business_s, tfs_business_s, trt_business_s (from
 * tickets_as_of) and handling_business are business seconds, final once their span ended
 * (handling_business is null while an assignment is open as of asOf: only AHT, over closed
 * tickets, uses it). A measure that does not exist as of asOf is null.
 */
const DELAY_FLAGS = `delay_flags AS (
  SELECT d.ticket_id,
         bool_or(d.phase = 'response' AND d.cycle = 1) AS first_response_late,
         -- SLA compliance counts tickets with no response or resolution delay at all.
         bool_or(d.phase IN ('response', 'resolution')) AS sla_breached
    FROM delays_as_of d
   GROUP BY d.ticket_id
)`;

/**
 * Whether ticket `ticketId` has a response or resolution due time in a cycle started by asOf:
 * only such a ticket is judged by SLA compliance (KPIS.md: a null due time is never delayed, and a
 * log without targets must show the figure as not available, not as met). Query-time tickets only:
 * a settled ticket's row carries it (tickets.sla_targeted), so the KPI summary needs no cycles lookup.
 */
const slaTargeted = (ticketId: string): string => `EXISTS (SELECT 1 FROM analytics.cycles c
                      WHERE c.ticket_id = ${ticketId} AND c.started_at <= $1::timestamptz
                        AND (c.response_due_at IS NOT NULL OR c.resolution_due_at IS NOT NULL))`;

/**
 * On-time response % over facts rows `f` (KPIS.md): on time ÷ on time or late, where an
 * on-time ticket counts only if its first cycle had a response due time (a late one always had
 * one). Null when no ticket of the group was judged: a log without targets.
 */
export const ON_TIME_RESPONSE_PCT = `count(*) FILTER (WHERE f.response_state = 'on_time' AND f.response_targeted)::float8
         / nullif(count(*) FILTER (WHERE f.response_state = 'late' OR (f.response_state = 'on_time' AND f.response_targeted)), 0)`;

/**
 * SLA compliance % over facts rows `f`: tickets with no response or resolution delay ÷ the
 * tickets with such a due time (a breached one always had one); null when none had.
 */
export const SLA_COMPLIANCE_PCT = `count(*) FILTER (WHERE f.sla_targeted AND NOT f.sla_breached)::float8
         / nullif(count(*) FILTER (WHERE f.sla_targeted OR f.sla_breached), 0)`;

/** FCR (system) over a facts row `f`. */
const FCR_SYSTEM = `         f.closed AND f.resolution = 'resolved' AND NOT f.reopened AND f.responses <= 1
           AND NOT f.escalated AND NOT f.routed_after_claim AS fcr_system`;

/** The measures of the tickets of `query_time_tickets`, reconstructed as of asOf. */
const QUERY_TIME_BRANCH = `      SELECT ta.*,
             CASE WHEN ta.custody_state = 'closed' THEN ta.closed_by ELSE ta.holder END AS group_user_id,
             ta.custody_state = 'closed' AS closed,
             -- FRT: the first cycle's first response; none if that cycle closed unanswered.
             CASE WHEN c1.first_response_at <= $1::timestamptz
                  THEN extract(epoch FROM c1.first_response_at - ta.opened_at)::float8 END AS frt,
             extract(epoch FROM ta.first_solution_at - ta.opened_at)::float8 AS tfs,
             extract(epoch FROM ta.closed_at - ta.opened_at)::float8 AS trt,
             -- Handling: the assignments' lengths, an open one up to asOf.
             (SELECT coalesce(sum(extract(epoch FROM least(coalesce(a.ended_at, $1::timestamptz), $1::timestamptz)
                                                   - a.claimed_at)::float8), 0)
                FROM analytics.assignments a
               WHERE a.ticket_id = ta.ticket_id AND a.claimed_at <= $1::timestamptz) AS handling,
             -- Business handling: the ended assignments'; none with no policy, or while one is open as of asOf.
             CASE WHEN c1.policy_id IS NOT NULL THEN
               (SELECT CASE WHEN bool_or(a.ended_at IS NULL OR a.ended_at > $1::timestamptz OR a.handled_business_s IS NULL)
                            THEN NULL ELSE coalesce(sum(a.handled_business_s), 0) END
                  FROM analytics.assignments a
                 WHERE a.ticket_id = ta.ticket_id AND a.claimed_at <= $1::timestamptz) END AS handling_business,
             -- The first cycle's response phase: late if delayed, on time if completed, else pending.
             CASE WHEN df.first_response_late THEN 'late'
                  WHEN c1.response_completed_at <= $1::timestamptz THEN 'on_time'
                  ELSE 'pending' END AS response_state,
             -- Same-day: completed within 24 h of opening; false once older than 24 h unanswered; else not yet known.
             CASE WHEN c1.response_completed_at <= $1::timestamptz THEN c1.response_completed_at - ta.opened_at <= interval '24 hours'
                  WHEN $1::timestamptz - ta.opened_at > interval '24 hours' THEN false END AS same_day,
             EXISTS (SELECT 1 FROM analytics.escalations e
                      WHERE e.ticket_id = ta.ticket_id AND e.escalated_at <= $1::timestamptz) AS escalated,
             EXISTS (SELECT 1 FROM analytics.reopenings r
                      WHERE r.ticket_id = ta.ticket_id AND r.reopened_at <= $1::timestamptz) AS reopened,
             ta.first_closed_at IS NOT NULL AS closed_once,
             (SELECT count(*) FROM analytics.responses r
               WHERE r.ticket_id = ta.ticket_id AND r.responded_at <= $1::timestamptz) AS responses,
             EXISTS (SELECT 1 FROM analytics.routes r
                      WHERE r.ticket_id = ta.ticket_id AND r.after_first_claim AND r.routed_at <= $1::timestamptz) AS routed_after_claim,
             coalesce(df.sla_breached, false) AS sla_breached,
             -- Whether the figures judging against targets count the ticket (response: the first cycle's).
             c1.response_due_at IS NOT NULL AS response_targeted,
             ${slaTargeted('ta.ticket_id')} AS sla_targeted,
             extract(epoch FROM $1::timestamptz - ta.opened_at)::float8 AS age_s
        FROM query_time_tickets ta
        JOIN analytics.cycles c1 ON c1.ticket_id = ta.ticket_id AND c1.n = 1
        LEFT JOIN delay_flags df ON df.ticket_id = ta.ticket_id`;

/**
 * CTEs `delay_flags` and `query_time_facts`: the ticket_facts of the query-time tickets alone,
 * for a statement that reads its settled tickets another way (the KPI summary).
 */
export const QUERY_TIME_FACTS = `${DELAY_FLAGS},
query_time_facts AS (
  SELECT f.*,
${FCR_SYSTEM}
    FROM (
${QUERY_TIME_BRANCH}
    ) f
)`;

export const TICKET_FACTS = `${DELAY_FLAGS},
ticket_facts AS (
  SELECT f.*,
${FCR_SYSTEM}
    FROM (
${QUERY_TIME_BRANCH}
      UNION ALL
      -- Settled: the same measures from the ticket's row; an open phase turns late, and an
      -- open assignment's handling grows, with asOf.
      SELECT ta.*,
             CASE WHEN ta.custody_state = 'closed' THEN ta.closed_by ELSE ta.holder END AS group_user_id,
             ta.custody_state = 'closed' AS closed,
             extract(epoch FROM t.first_response_at - ta.opened_at)::float8 AS frt,
             extract(epoch FROM ta.first_solution_at - ta.opened_at)::float8 AS tfs,
             extract(epoch FROM ta.closed_at - ta.opened_at)::float8 AS trt,
             t.handled_s + coalesce(extract(epoch FROM $1::timestamptz - t.open_claimed_at)::float8, 0) AS handling,
             CASE WHEN t.open_claimed_at IS NULL THEN t.handled_business_s END AS handling_business,
             CASE WHEN t.response_late OR t.response_late_due_at < $1::timestamptz THEN 'late'
                  WHEN t.response_completed_at IS NOT NULL THEN 'on_time'
                  ELSE 'pending' END AS response_state,
             CASE WHEN t.response_completed_at IS NOT NULL THEN t.response_completed_at - ta.opened_at <= interval '24 hours'
                  WHEN $1::timestamptz - ta.opened_at > interval '24 hours' THEN false END AS same_day,
             t.first_escalated_at IS NOT NULL AS escalated,
             t.first_reopened_at IS NOT NULL AS reopened,
             ta.first_closed_at IS NOT NULL AS closed_once,
             t.response_count::bigint AS responses,
             t.routed_after_claim_at IS NOT NULL AS routed_after_claim,
             t.sla_breached OR coalesce(t.sla_breached_due_at < $1::timestamptz, false) AS sla_breached,
             t.response_targeted,
             t.sla_targeted,
             extract(epoch FROM $1::timestamptz - ta.opened_at)::float8 AS age_s
        FROM settled t
       CROSS JOIN LATERAL (SELECT ${SETTLED_AS_OF_COLUMNS}) ta
    ) f
)`;

/**
 * The tickets a KPI summary, top-N categories or volume counts: opened in [$2, $3) by asOf,
 * split into `scope` (an event after asOf: reconstructed) and `settled` (read from their rows).
 */
export const OPENED_SCOPE = `scope AS (
  SELECT t.ticket_id FROM analytics.tickets t
   WHERE t.opened_at >= $2::timestamptz AND t.opened_at < $3::timestamptz AND t.opened_at <= $1::timestamptz
     AND t.last_event_at > $1::timestamptz
)`;

export const OPENED_IN_PERIOD = `${OPENED_SCOPE},
settled AS NOT MATERIALIZED (
  SELECT t.* FROM analytics.tickets t
   WHERE t.opened_at >= $2::timestamptz AND t.opened_at < $3::timestamptz AND t.opened_at <= $1::timestamptz
     AND t.last_event_at <= $1::timestamptz
)`;
