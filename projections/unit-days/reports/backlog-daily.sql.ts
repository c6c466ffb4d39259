import { BACKLOG_DAYS } from '#projections/tickets/reports/backlog/backlog.sql.js';

/**
 * The backlog series from the daily series per unit (this projection's tables), with the same
 * parameters, days, units and columns as BACKLOG_SQL, the query-time reference over the tickets
 * projection (projections/tickets/reports/backlog). Use it only when `analytics.unit_days_zone`
 * holds $4: the rows' days are cut in that zone.
 *
 * `analytics.unit_days` stores, per unit and day, the change of each end-of-day figure
 * against the day before (no row: no change), so a figure at the end of day D is the sum of
 * the unit's changes up to D: what the days before the period carried in, plus a running sum
 * over the period's days. The backlog at the end of a day depends only on events up to then,
 * so a day that has ended by asOf takes its stored row. The day still running at asOf is taken
 * at asOf: its changes that count by then, from `analytics.unit_day_changes` (each change at
 * its instant; `inclusive` ones count from that instant on, the others only after it).
 */
export const BACKLOG_DAILY_SQL =
  '-- backlog at the end of each local day (zone $4) of [$2, $3), as of $1, for unit $5 or all, from analytics.unit_days\n' +
  `WITH ${BACKLOG_DAYS},
instants AS (
  SELECT day, ends_at, least(ends_at, $1::timestamptz) AS at, ends_at > $1::timestamptz AS running FROM days
),
-- The units BACKLOG_SQL lists: those with a stint started by asOf.
units AS (
  SELECT $5::text AS unit_id WHERE $5::text IS NOT NULL
  UNION
  SELECT u.unit_id FROM analytics.unit_day_units u WHERE $5::text IS NULL AND u.first_stint_at <= $1::timestamptz
),
-- The figures at the end of the day before the period: every change before its first day.
carried AS (
  SELECT c.unit_id,
         sum(c.backlog_change) AS count, sum(c.over_target_change) AS over_target,
         sum(c.aged_lt1d_change) AS lt1d, sum(c.aged_1to3d_change) AS d1to3,
         sum(c.aged_3to7d_change) AS d3to7, sum(c.aged_ge7d_change) AS ge7d
    FROM analytics.unit_days c
   WHERE c.day < (SELECT min(day) FROM days)
     AND ($5::text IS NULL OR c.unit_id = $5::text)
   GROUP BY c.unit_id
),
-- Each day's changes: a day that has ended, its row; the day running at asOf, its changes that count at asOf.
day_changes AS (
  SELECT c.unit_id, c.day, c.backlog_change, c.over_target_change,
         c.aged_lt1d_change, c.aged_1to3d_change, c.aged_3to7d_change, c.aged_ge7d_change
    FROM analytics.unit_days c
    JOIN instants i ON i.day = c.day AND NOT i.running
   WHERE $5::text IS NULL OR c.unit_id = $5::text
  UNION ALL
  SELECT x.unit_id, x.day, sum(x.backlog_change), sum(x.over_target_change), sum(x.aged_lt1d_change),
         sum(x.aged_1to3d_change), sum(x.aged_3to7d_change), sum(x.aged_ge7d_change)
    FROM analytics.unit_day_changes x
    JOIN instants i ON i.day = x.day AND i.running
   WHERE (x.at < $1::timestamptz OR (x.inclusive AND x.at = $1::timestamptz))
     AND ($5::text IS NULL OR x.unit_id = $5::text)
   GROUP BY x.unit_id, x.day
),
-- Each unit on each day (zero where nothing changed).
changes AS (
  SELECT i.day, i.ends_at, i.at, u.unit_id,
         coalesce(c.backlog_change, 0) AS count, coalesce(c.over_target_change, 0) AS over_target,
         coalesce(c.aged_lt1d_change, 0) AS lt1d, coalesce(c.aged_1to3d_change, 0) AS d1to3,
         coalesce(c.aged_3to7d_change, 0) AS d3to7, coalesce(c.aged_ge7d_change, 0) AS ge7d
    FROM instants i
   CROSS JOIN units u
    LEFT JOIN day_changes c ON c.unit_id = u.unit_id AND c.day = i.day
)
SELECT c.day::text AS day, c.ends_at, c.at, c.unit_id,
       (coalesce(k.count, 0) + sum(c.count) OVER upto)::int AS count,
       (coalesce(k.over_target, 0) + sum(c.over_target) OVER upto)::int AS over_target,
       (coalesce(k.lt1d, 0) + sum(c.lt1d) OVER upto)::int AS lt1d,
       (coalesce(k.d1to3, 0) + sum(c.d1to3) OVER upto)::int AS "1to3d",
       (coalesce(k.d3to7, 0) + sum(c.d3to7) OVER upto)::int AS "3to7d",
       (coalesce(k.ge7d, 0) + sum(c.ge7d) OVER upto)::int AS ge7d
  FROM changes c
  LEFT JOIN carried k ON k.unit_id = c.unit_id
WINDOW upto AS (PARTITION BY c.unit_id ORDER BY c.day)
 ORDER BY c.day, c.unit_id`;

/** Whether the daily series exists yet (its first version creates it). */
export const HAS_DAILY_SERIES_SQL = `SELECT to_regclass('analytics.unit_days_zone') IS NOT NULL AS has_daily_series`;

/** The zone whose local days analytics.unit_days is cut in (one row). */
export const UNIT_DAYS_ZONE_SQL = `SELECT time_zone FROM analytics.unit_days_zone`;
