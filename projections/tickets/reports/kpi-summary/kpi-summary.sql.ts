import { DELAYS_AS_OF } from '../as-of/delays-as-of.sql.js';
import { TICKETS_AS_OF } from '../as-of/tickets-as-of.sql.js';
import { OPENED_IN_PERIOD, TICKET_FACTS } from '../as-of/ticket-facts.sql.js';
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
 */
export function kpiSummarySql(time: ReportTime): string {
  const c = DURATION_COLUMNS[time];
  return `-- KPI summary: tickets opened in [$2, $3), as of $1, grouped by $5 and bucketed by $6 in zone $4, durations in ${time} seconds
WITH ${OPENED_IN_PERIOD},
${DELAYS_AS_OF},
${TICKETS_AS_OF},
${TICKET_FACTS},
-- Each ticket's facts with its group: bucket and the grouped dimensions (g_*; null when not grouped by).
groups AS (
  SELECT f.*,
         (date_trunc($6::text, f.opened_at, $4::text) AT TIME ZONE $4::text)::date AS bucket,
         CASE WHEN 'unit' = ANY($5::text[]) THEN f.unit_id END AS g_unit,
         CASE WHEN 'user' = ANY($5::text[]) THEN f.group_user_id END AS g_user,
         CASE WHEN 'category' = ANY($5::text[]) THEN f.category END AS g_category,
         CASE WHEN 'channel' = ANY($5::text[]) THEN f.channel END AS g_channel,
         CASE WHEN 'priority' = ANY($5::text[]) THEN f.priority END AS g_priority
    FROM ticket_facts f
),
by_ticket AS (
  SELECT f.bucket, f.g_unit AS unit_id, f.g_user AS user_id, f.g_category AS category, f.g_channel AS channel, f.g_priority AS priority,
         count(*)::int AS volume,
         count(f.${c.frt})::int AS frt_n, (count(*) - count(f.${c.frt}))::int AS frt_missing, avg(f.${c.frt}) AS frt_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY f.${c.frt}) AS frt_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY f.${c.frt}) AS frt_p90,
         count(f.${c.trt})::int AS trt_n, (count(*) - count(f.${c.trt}))::int AS trt_missing, avg(f.${c.trt}) AS trt_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY f.${c.trt}) AS trt_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY f.${c.trt}) AS trt_p90,
         count(f.${c.tfs})::int AS tfs_n, (count(*) - count(f.${c.tfs}))::int AS tfs_missing, avg(f.${c.tfs}) AS tfs_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY f.${c.tfs}) AS tfs_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY f.${c.tfs}) AS tfs_p90,
         -- AHT: handling time of the tickets closed as of asOf.
         count(f.${c.handling}) FILTER (WHERE f.closed)::int AS aht_n, avg(f.${c.handling}) FILTER (WHERE f.closed) AS aht_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY f.${c.handling}) FILTER (WHERE f.closed) AS aht_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY f.${c.handling}) FILTER (WHERE f.closed) AS aht_p90,
         count(*) FILTER (WHERE f.response_state = 'on_time')::float8
           / nullif(count(*) FILTER (WHERE f.response_state <> 'pending'), 0) AS on_time_response_pct,
         count(*) FILTER (WHERE f.same_day)::float8 / nullif(count(f.same_day), 0) AS sdr_pct,
         count(*) FILTER (WHERE f.fcr_system)::float8
           / nullif(count(*) FILTER (WHERE f.closed AND f.resolution = 'resolved'), 0) AS fcr_system_pct,
         count(*) FILTER (WHERE f.closed AND f.request_met)::float8 / nullif(count(*) FILTER (WHERE f.closed), 0) AS request_met_pct,
         count(*) FILTER (WHERE f.escalated)::float8 / count(*) AS escalation_rate_pct,
         count(*) FILTER (WHERE f.reopened)::float8 / nullif(count(*) FILTER (WHERE f.closed_once), 0) AS reopen_rate_pct,
         count(*) FILTER (WHERE NOT f.sla_breached)::float8 / count(*) AS sla_compliance_pct
    FROM groups f
   GROUP BY f.bucket, f.g_unit, f.g_user, f.g_category, f.g_channel, f.g_priority
),
-- TTC over every pool wait of the selected tickets that ended with a claim by asOf.
by_pool_wait AS (
  SELECT g.bucket, g.g_unit AS unit_id, g.g_user AS user_id, g.g_category AS category, g.g_channel AS channel, g.g_priority AS priority,
         count(w.${c.ttc})::int AS ttc_n, avg(w.${c.ttc}) AS ttc_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY w.${c.ttc}) AS ttc_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY w.${c.ttc}) AS ttc_p90
    FROM groups g
    JOIN analytics.pool_waits w USING (ticket_id)
   -- Redundant with the join, but lets the rows be found by the period.
   WHERE w.ticket_opened_at >= $2::timestamptz AND w.ticket_opened_at < $3::timestamptz
     AND w.ended_by = 'claim' AND w.ended_at <= $1::timestamptz
   GROUP BY g.bucket, g.g_unit, g.g_user, g.g_category, g.g_channel, g.g_priority
),
-- TAT over every assignment of the selected tickets whose holder had responded by asOf.
by_assignment AS (
  SELECT g.bucket, g.g_unit AS unit_id, g.g_user AS user_id, g.g_category AS category, g.g_channel AS channel, g.g_priority AS priority,
         count(a.${c.tat})::int AS tat_n, avg(a.${c.tat}) AS tat_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY a.${c.tat}) AS tat_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY a.${c.tat}) AS tat_p90
    FROM groups g
    JOIN analytics.assignments a USING (ticket_id)
   -- Redundant with the join, but lets the rows be found by the period.
   WHERE a.ticket_opened_at >= $2::timestamptz AND a.ticket_opened_at < $3::timestamptz
     AND a.first_response_at <= $1::timestamptz
   GROUP BY g.bucket, g.g_unit, g.g_user, g.g_category, g.g_channel, g.g_priority
),
-- Every survey of the selected tickets given by asOf, in the group of its ticket.
by_survey AS (
  SELECT g.bucket, g.g_unit AS unit_id, g.g_user AS user_id, g.g_category AS category, g.g_channel AS channel, g.g_priority AS priority,
         count(*)::int AS surveys,
         count(*) FILTER (WHERE v.resolved_on_first_contact)::float8 / nullif(count(v.resolved_on_first_contact), 0) AS fcr_survey_pct,
         count(*) FILTER (WHERE v.score >= 4)::float8 / count(*) AS csat_pct,
         count(*) FILTER (WHERE v.score <= 2)::float8 / count(*) AS dsat_pct,
         count(*) FILTER (WHERE v.resolved)::float8 / nullif(count(v.resolved), 0) AS rr_pct
    FROM groups g
    JOIN analytics.surveys v USING (ticket_id)
   -- Redundant with the join, but lets the rows be found by the period.
   WHERE v.ticket_opened_at >= $2::timestamptz AND v.ticket_opened_at < $3::timestamptz
     AND v.surveyed_at <= $1::timestamptz
   GROUP BY g.bucket, g.g_unit, g.g_user, g.g_category, g.g_channel, g.g_priority
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
       coalesce(w.ttc_n, 0) AS ttc_n, w.ttc_mean, w.ttc_p50, w.ttc_p90,
       coalesce(a.tat_n, 0) AS tat_n, a.tat_mean, a.tat_p50, a.tat_p90,
       t.aht_n, t.aht_mean, t.aht_p50, t.aht_p90,
       t.on_time_response_pct, t.sdr_pct, t.fcr_system_pct, s.fcr_survey_pct, s.csat_pct, s.dsat_pct, s.rr_pct,
       t.request_met_pct, t.escalation_rate_pct, t.reopen_rate_pct, t.sla_compliance_pct,
       coalesce(s.surveys, 0) AS surveys
  FROM by_ticket t
  LEFT JOIN by_pool_wait w
         ON (w.bucket, w.unit_id, w.user_id, w.category, w.channel, w.priority)
            IS NOT DISTINCT FROM (t.bucket, t.unit_id, t.user_id, t.category, t.channel, t.priority)
  LEFT JOIN by_assignment a
         ON (a.bucket, a.unit_id, a.user_id, a.category, a.channel, a.priority)
            IS NOT DISTINCT FROM (t.bucket, t.unit_id, t.user_id, t.category, t.channel, t.priority)
  LEFT JOIN by_survey s
         ON (s.bucket, s.unit_id, s.user_id, s.category, s.channel, s.priority)
            IS NOT DISTINCT FROM (t.bucket, t.unit_id, t.user_id, t.category, t.channel, t.priority)
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
