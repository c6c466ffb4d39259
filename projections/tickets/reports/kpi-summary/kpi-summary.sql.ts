import { DELAYS_AS_OF } from '../as-of/delays-as-of.sql.js';
import { QUERY_TIME_TICKETS } from '../as-of/tickets-as-of.sql.js';
import { ON_TIME_RESPONSE_PCT, OPENED_SCOPE, QUERY_TIME_FACTS, SLA_COMPLIANCE_PCT } from '../as-of/ticket-facts.sql.js';
import type { ReportTime } from '../report-time.js';

/** The dimensions a KPI summary may be grouped by (KPIS.md: the ticket as of asOf). */
export const KPI_GROUPS = ['unit', 'user', 'category', 'channel', 'priority'] as const;
export type KpiGroup = (typeof KPI_GROUPS)[number];

/** Buckets of the opening instant in the reporting time zone; `week` is the ISO week (Monday). */
export const KPI_BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type KpiBucket = (typeof KPI_BUCKETS)[number];

/** The ticket_facts, pool_waits and assignments columns each duration figure reads, per time. */
const DURATION_COLUMNS: Record<ReportTime, Record<'frt' | 'trt' | 'tfs' | 'handling' | 'ttc' | 'tat', string>> = {
  calendar: { frt: 'frt', trt: 'trt', tfs: 'tfs', handling: 'handling', ttc: 'ttc_s', tat: 'tat_s' },
  business: {
    frt: 'frt_business_s',
    trt: 'trt_business_s',
    tfs: 'tfs_business_s',
    handling: 'handling_business',
    ttc: 'ttc_business_s',
    tat: 'tat_business_s',
  },
};

/** The group of a row: bucket of its ticket's opening and the grouped dimensions (null when not grouped by). */
function groupColumns(c: { openedAt: string; unit: string; user: string; category: string; channel: string; priority: string }): string {
  return `(date_trunc($6::text, ${c.openedAt}, $4::text) AT TIME ZONE $4::text)::date AS bucket,
         CASE WHEN 'unit' = ANY($5::text[]) THEN ${c.unit} END AS unit_id,
         CASE WHEN 'user' = ANY($5::text[]) THEN ${c.user} END AS user_id,
         CASE WHEN 'category' = ANY($5::text[]) THEN ${c.category} END AS category,
         CASE WHEN 'channel' = ANY($5::text[]) THEN ${c.channel} END AS channel,
         CASE WHEN 'priority' = ANY($5::text[]) THEN ${c.priority} END AS priority`;
}

/** The group of a query-time ticket's row, from its facts in `groups` g. */
const QUERY_TIME_GROUP = 'g.bucket, g.unit_id, g.user_id, g.category, g.channel, g.priority';

/** The group of a settled ticket's pool wait, assignment or survey `x`, from the ticket state the row carries. */
const SETTLED_ROW_GROUP = groupColumns({
  openedAt: 'x.ticket_opened_at',
  unit: 'x.ticket_unit_id',
  user: 'x.ticket_user_id',
  category: 'x.category',
  channel: 'x.ticket_channel',
  priority: 'x.ticket_priority',
});

/** The group of a query-time ticket, from its facts `f` (query_time_facts). */
const QUERY_TIME_FACTS_GROUP = groupColumns({
  openedAt: 'f.opened_at',
  unit: 'f.unit_id',
  user: 'f.group_user_id',
  category: 'f.category',
  channel: 'f.channel',
  priority: 'f.priority',
});

const GROUP_KEY = 'bucket, unit_id, user_id, category, channel, priority';

/** Each per-group aggregate's figures, and their SQL type (a NULL stands for them in the other aggregates' rows). */
const FIGURES: Array<{ from: string; columns: Array<[name: string, type: 'int' | 'float8']> }> = [
  {
    from: 'by_ticket',
    columns: [
      ['volume', 'int'],
      ...['frt', 'trt', 'tfs'].flatMap((m): Array<[string, 'int' | 'float8']> => [
        [`${m}_n`, 'int'],
        [`${m}_missing`, 'int'],
        [`${m}_mean`, 'float8'],
        [`${m}_p50`, 'float8'],
        [`${m}_p90`, 'float8'],
      ]),
      ['aht_n', 'int'],
      ['aht_mean', 'float8'],
      ['aht_p50', 'float8'],
      ['aht_p90', 'float8'],
      ...['on_time_response_pct', 'sdr_pct', 'fcr_system_pct', 'request_met_pct', 'escalation_rate_pct', 'reopen_rate_pct'].map(
        (name): [string, 'float8'] => [name, 'float8'],
      ),
      ['sla_compliance_pct', 'float8'],
    ],
  },
  {
    from: 'by_pool_wait',
    columns: [
      ['ttc_n', 'int'],
      ['ttc_mean', 'float8'],
      ['ttc_p50', 'float8'],
      ['ttc_p90', 'float8'],
    ],
  },
  {
    from: 'by_assignment',
    columns: [
      ['tat_n', 'int'],
      ['tat_mean', 'float8'],
      ['tat_p50', 'float8'],
      ['tat_p90', 'float8'],
    ],
  },
  {
    from: 'by_survey',
    columns: [
      ['surveys', 'int'],
      ['fcr_survey_pct', 'float8'],
      ['csat_pct', 'float8'],
      ['dsat_pct', 'float8'],
      ['rr_pct', 'float8'],
    ],
  },
];

/** One row per group with every figure: each aggregate's rows beside NULLs for the others', then max() per group. */
function mergedFigures(): string {
  const all = FIGURES.flatMap((f) => f.columns);
  const rows = FIGURES.map(
    (f) =>
      `SELECT ${GROUP_KEY}, ${all
        .map(([name, type]) => (f.columns.some(([own]) => own === name) ? name : `NULL::${type} AS ${name}`))
        .join(', ')}
      FROM ${f.from}`,
  );
  return `SELECT ${GROUP_KEY}, ${all.map(([name]) => `max(${name}) AS ${name}`).join(', ')}
    FROM (
      ${rows.join('\n      UNION ALL\n      ')}
    ) x
   GROUP BY ${GROUP_KEY}`;
}

/**
 * The KPI summary (KPIS.md "Rates and aggregates") over the tickets opened in the period.
 * Parameters: $1 asOf, $2 period from, $3 period to, $4 reporting time zone, $5 the
 * dimensions to group by (text[] of unit, user, category, channel, priority; '{}': none),
 * $6 bucket (day, week, month, quarter, year; null: the whole period).
 *
 * Each figure's rows differ (tickets, pool waits, assignments, surveys), so each is
 * aggregated on its own per group and the four are joined on the group's columns; a
 * dimension that is not grouped by is null in every row. `time` picks the duration figures'
 * columns: calendar seconds, or the business seconds beside them (a measure without business
 * time — no policy, no clock — counts as missing).
 *
 * Tickets with an event after asOf (`scope`) are reconstructed as of asOf and their pool waits,
 * assignments and surveys joined to them. The others are settled: their measures come from
 * their tickets row and their other rows carry the ticket's settled group (tables.ts
 * ticketState), so each figure reads one covering index on the opening and joins nothing.
 */
export function kpiSummarySql(time: ReportTime): string {
  const c = DURATION_COLUMNS[time];
  const settled: Record<'frt' | 'trt' | 'tfs' | 'handling', string> =
    time === 'calendar'
      ? {
          frt: 'extract(epoch FROM t.first_response_at - t.opened_at)::float8',
          tfs: 'extract(epoch FROM t.first_solution_at - t.opened_at)::float8',
          trt: 'extract(epoch FROM t.last_closed_at - t.opened_at)::float8',
          handling: 't.handled_s + coalesce(extract(epoch FROM $1::timestamptz - t.open_claimed_at)::float8, 0)',
        }
      : {
          frt: 't.frt_business_s',
          tfs: 't.tfs_business_s',
          trt: 't.trt_business_s',
          handling: 'CASE WHEN t.open_claimed_at IS NULL THEN t.handled_business_s END',
        };
  return `-- KPI summary: tickets opened in [$2, $3), as of $1, grouped by $5 and bucketed by $6 in zone $4, durations in ${time} seconds
WITH ${OPENED_SCOPE},
${DELAYS_AS_OF},
${QUERY_TIME_TICKETS},
${QUERY_TIME_FACTS},
-- The query-time tickets' facts with their group (few: those with an event after asOf).
groups AS (
  SELECT f.ticket_id, f.${c.frt} AS frt, f.${c.trt} AS trt, f.${c.tfs} AS tfs, f.${c.handling} AS handling, f.closed,
         f.response_state, f.same_day, f.fcr_system, f.resolution, f.request_met, f.escalated, f.reopened, f.closed_once,
         f.sla_breached, f.response_targeted, f.sla_targeted,
         ${QUERY_TIME_FACTS_GROUP}
    FROM query_time_facts f
),
-- Every selected ticket's measures and group: the query-time ones, and the settled ones from their row
-- (the same measures as ticket_facts' settled part, ticket-facts.sql.ts).
ticket_rows AS (
  SELECT ${GROUP_KEY}, frt, trt, tfs, handling, closed, response_state, same_day, fcr_system, resolution, request_met,
         escalated, reopened, closed_once, sla_breached, response_targeted, sla_targeted
    FROM groups
  UNION ALL
  SELECT ${groupColumns({
    openedAt: 't.opened_at',
    unit: 't.unit_id',
    user: "CASE WHEN t.custody_state = 'closed' THEN t.last_closed_by ELSE t.holder END",
    category: 't.category',
    channel: 't.channel',
    priority: 't.priority',
  })},
         ${settled.frt} AS frt,
         ${settled.trt} AS trt,
         ${settled.tfs} AS tfs,
         ${settled.handling} AS handling,
         t.custody_state = 'closed' AS closed,
         CASE WHEN t.response_late OR t.response_late_due_at < $1::timestamptz THEN 'late'
              WHEN t.response_completed_at IS NOT NULL THEN 'on_time'
              ELSE 'pending' END AS response_state,
         CASE WHEN t.response_completed_at IS NOT NULL THEN t.response_completed_at - t.opened_at <= interval '24 hours'
              WHEN $1::timestamptz - t.opened_at > interval '24 hours' THEN false END AS same_day,
         t.custody_state = 'closed' AND t.last_resolution = 'resolved' AND t.first_reopened_at IS NULL AND t.response_count <= 1
           AND t.first_escalated_at IS NULL AND t.routed_after_claim_at IS NULL AS fcr_system,
         CASE WHEN t.custody_state = 'closed' THEN t.last_resolution END AS resolution,
         t.request_met,
         t.first_escalated_at IS NOT NULL AS escalated,
         t.first_reopened_at IS NOT NULL AS reopened,
         t.first_closed_at IS NOT NULL AS closed_once,
         t.sla_breached OR coalesce(t.sla_breached_due_at < $1::timestamptz, false) AS sla_breached,
         t.response_targeted,
         t.sla_targeted
    FROM analytics.tickets t
   WHERE t.opened_at >= $2::timestamptz AND t.opened_at < $3::timestamptz AND t.opened_at <= $1::timestamptz
     AND t.last_event_at <= $1::timestamptz
),
by_ticket AS (
  SELECT f.bucket, f.unit_id, f.user_id, f.category, f.channel, f.priority,
         count(*)::int AS volume,
         count(f.frt)::int AS frt_n, (count(*) - count(f.frt))::int AS frt_missing, avg(f.frt) AS frt_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY f.frt) AS frt_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY f.frt) AS frt_p90,
         count(f.trt)::int AS trt_n, (count(*) - count(f.trt))::int AS trt_missing, avg(f.trt) AS trt_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY f.trt) AS trt_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY f.trt) AS trt_p90,
         count(f.tfs)::int AS tfs_n, (count(*) - count(f.tfs))::int AS tfs_missing, avg(f.tfs) AS tfs_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY f.tfs) AS tfs_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY f.tfs) AS tfs_p90,
         -- AHT: handling time of the tickets closed as of asOf.
         count(f.handling) FILTER (WHERE f.closed)::int AS aht_n, avg(f.handling) FILTER (WHERE f.closed) AS aht_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY f.handling) FILTER (WHERE f.closed) AS aht_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY f.handling) FILTER (WHERE f.closed) AS aht_p90,
         ${ON_TIME_RESPONSE_PCT} AS on_time_response_pct,
         count(*) FILTER (WHERE f.same_day)::float8 / nullif(count(f.same_day), 0) AS sdr_pct,
         count(*) FILTER (WHERE f.fcr_system)::float8
           / nullif(count(*) FILTER (WHERE f.closed AND f.resolution = 'resolved'), 0) AS fcr_system_pct,
         count(*) FILTER (WHERE f.closed AND f.request_met)::float8 / nullif(count(*) FILTER (WHERE f.closed), 0) AS request_met_pct,
         count(*) FILTER (WHERE f.escalated)::float8 / count(*) AS escalation_rate_pct,
         count(*) FILTER (WHERE f.reopened)::float8 / nullif(count(*) FILTER (WHERE f.closed_once), 0) AS reopen_rate_pct,
         ${SLA_COMPLIANCE_PCT} AS sla_compliance_pct
    FROM ticket_rows f
   GROUP BY f.bucket, f.unit_id, f.user_id, f.category, f.channel, f.priority
),
-- TTC over every pool wait of the selected tickets that ended with a claim by asOf.
pool_wait_rows AS (
  SELECT ${QUERY_TIME_GROUP}, w.${c.ttc} AS ttc
    FROM groups g
    JOIN analytics.pool_waits w USING (ticket_id)
   WHERE w.ended_by = 'claim' AND w.ended_at <= $1::timestamptz
  UNION ALL
  SELECT ${SETTLED_ROW_GROUP}, x.${c.ttc}
    FROM analytics.pool_waits x
   WHERE x.ticket_opened_at >= $2::timestamptz AND x.ticket_opened_at < $3::timestamptz AND x.ticket_opened_at <= $1::timestamptz
     AND x.ticket_last_event_at <= $1::timestamptz
     AND x.ended_by = 'claim' AND x.ended_at <= $1::timestamptz
),
by_pool_wait AS (
  SELECT ${GROUP_KEY},
         count(ttc)::int AS ttc_n, avg(ttc) AS ttc_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ttc) AS ttc_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY ttc) AS ttc_p90
    FROM pool_wait_rows
   GROUP BY ${GROUP_KEY}
),
-- TAT over every assignment of the selected tickets whose holder had responded by asOf.
assignment_rows AS (
  SELECT ${QUERY_TIME_GROUP}, a.${c.tat} AS tat
    FROM groups g
    JOIN analytics.assignments a USING (ticket_id)
   WHERE a.first_response_at <= $1::timestamptz
  UNION ALL
  SELECT ${SETTLED_ROW_GROUP}, x.${c.tat}
    FROM analytics.assignments x
   WHERE x.ticket_opened_at >= $2::timestamptz AND x.ticket_opened_at < $3::timestamptz AND x.ticket_opened_at <= $1::timestamptz
     AND x.ticket_last_event_at <= $1::timestamptz
     AND x.first_response_at <= $1::timestamptz
),
by_assignment AS (
  SELECT ${GROUP_KEY},
         count(tat)::int AS tat_n, avg(tat) AS tat_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY tat) AS tat_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY tat) AS tat_p90
    FROM assignment_rows
   GROUP BY ${GROUP_KEY}
),
-- Every survey of the selected tickets given by asOf, in the group of its ticket.
survey_rows AS (
  SELECT ${QUERY_TIME_GROUP}, v.score, v.resolved, v.resolved_on_first_contact
    FROM groups g
    JOIN analytics.surveys v USING (ticket_id)
   WHERE v.surveyed_at <= $1::timestamptz
  UNION ALL
  SELECT ${SETTLED_ROW_GROUP}, x.score, x.resolved, x.resolved_on_first_contact
    FROM analytics.surveys x
   WHERE x.ticket_opened_at >= $2::timestamptz AND x.ticket_opened_at < $3::timestamptz AND x.ticket_opened_at <= $1::timestamptz
     AND x.ticket_last_event_at <= $1::timestamptz
     AND x.surveyed_at <= $1::timestamptz
),
by_survey AS (
  SELECT ${GROUP_KEY},
         count(*)::int AS surveys,
         count(*) FILTER (WHERE v.resolved_on_first_contact)::float8 / nullif(count(v.resolved_on_first_contact), 0) AS fcr_survey_pct,
         count(*) FILTER (WHERE v.score >= 4)::float8 / count(*) AS csat_pct,
         count(*) FILTER (WHERE v.score <= 2)::float8 / count(*) AS dsat_pct,
         count(*) FILTER (WHERE v.resolved)::float8 / nullif(count(v.resolved), 0) AS rr_pct
    FROM survey_rows v
   GROUP BY ${GROUP_KEY}
),
-- The four per group: one row each in a UNION ALL, merged by a GROUP BY on the group's columns (NULLs group
-- together and it hashes, where joining on IS NOT DISTINCT FROM compares every group with every other).
figures AS (
  ${mergedFigures()}
)
SELECT t.bucket::text AS bucket_start,
       (t.bucket::timestamp AT TIME ZONE $4::text) AS bucket_from,
       ((t.bucket::timestamp + CASE $6::text WHEN 'quarter' THEN interval '3 months' ELSE ('1 ' || $6::text)::interval END)
         AT TIME ZONE $4::text) AS bucket_to,
       t.unit_id, t.user_id, t.category, t.channel, t.priority,
       t.volume,
       t.frt_n, t.frt_missing, t.frt_mean, t.frt_p50, t.frt_p90,
       t.trt_n, t.trt_missing, t.trt_mean, t.trt_p50, t.trt_p90,
       t.tfs_n, t.tfs_missing, t.tfs_mean, t.tfs_p50, t.tfs_p90,
       coalesce(t.ttc_n, 0) AS ttc_n, t.ttc_mean, t.ttc_p50, t.ttc_p90,
       coalesce(t.tat_n, 0) AS tat_n, t.tat_mean, t.tat_p50, t.tat_p90,
       t.aht_n, t.aht_mean, t.aht_p50, t.aht_p90,
       t.on_time_response_pct, t.sdr_pct, t.fcr_system_pct, t.fcr_survey_pct, t.csat_pct, t.dsat_pct, t.rr_pct,
       t.request_met_pct, t.escalation_rate_pct, t.reopen_rate_pct, t.sla_compliance_pct,
       coalesce(t.surveys, 0) AS surveys
  FROM figures t
  -- Only the groups that have tickets (every pool wait, assignment and survey is in its ticket's group anyway).
 WHERE t.volume IS NOT NULL
 ORDER BY t.bucket, t.unit_id, t.user_id, t.category, t.channel, t.priority`;
}

/** The KPI summary in calendar seconds (the default). */
export const KPI_SUMMARY_SQL = kpiSummarySql('calendar');

/** One row of the KPI summary: a group (and bucket) and every figure; durations in seconds. */
export interface KpiSummaryRow extends Record<string, unknown> {
  bucket_start: string | null;
  bucket_from: Date | null;
  bucket_to: Date | null;
  unit_id: string | null;
  user_id: string | null;
  category: string | null;
  channel: string | null;
  priority: string | null;
  volume: number;
}
