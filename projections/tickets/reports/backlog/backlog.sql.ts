/**
 * CTE `days`: each local day (zone $4) of [$2, $3) that has begun by asOf $1, and the instant it
 * ends. The daily series' statement (projections/unit-days/reports) lists the same days.
 */
export const BACKLOG_DAYS = `days AS (
  SELECT d::date AS day, (d + interval '1 day') AT TIME ZONE $4::text AS ends_at
    FROM generate_series(($2::timestamptz AT TIME ZONE $4::text)::date::timestamp,
                         (($3::timestamptz - interval '1 microsecond') AT TIME ZONE $4::text)::date::timestamp,
                         interval '1 day') AS d
   -- Days that begin after asOf have no value yet.
   WHERE d AT TIME ZONE $4::text <= $1::timestamptz
)`;

/**
 * The backlog series (KPIS.md "Backlog"): for each local day of the period, the backlog at
 * the end of the day (the next midnight in the reporting time zone), per unit holding the
 * tickets then. Parameters: $1 asOf, $2 period from, $3 period to, $4 reporting time
 * zone, $5 unit (null: every unit).
 *
 * The backlog at an instant is the custody intervals that are not `closed` and contain it
 * (opened, its latest cycle not closed; on hold and in a pool included), each at its unit.
 * A day that ends after asOf is shown as of asOf (`at`): later events do not exist yet;
 * days that begin after asOf are left out.
 * Over target: the current cycle's resolution phase is delayed at that instant, exactly as
 * delays_as_of finds an open phase delayed: its due time, as it stood then, is before the
 * resolution clock. A hold stops that clock at the hold's start, so a due time that passes
 * while the ticket is on hold does not count until a resume has moved it and it passes again.
 * Aging by age from the original opening; each bucket includes its lower bound.
 */
export const BACKLOG_SQL = `-- backlog at the end of each local day (zone $4) of [$2, $3), as of $1, for unit $5 or all
WITH ${BACKLOG_DAYS},
instants AS (
  SELECT day, ends_at, least(ends_at, $1::timestamptz) AS at FROM days
),
units AS (
  SELECT $5::text AS unit_id WHERE $5::text IS NOT NULL
  UNION
  SELECT DISTINCT s.unit_id FROM analytics.stints s WHERE $5::text IS NULL AND s.started_at <= $1::timestamptz
),
-- Open custody intervals (in a pool or held) that overlap the days at all.
open_custody AS (
  SELECT k.ticket_id, k.unit_id, k.cycle, k.valid_from, k.valid_to
    FROM analytics.custody k
   WHERE k.custody_state <> 'closed'
     AND k.valid_from <= (SELECT max(at) FROM instants)
     AND coalesce(k.valid_to, 'infinity') > (SELECT min(at) FROM instants)
     AND ($5::text IS NULL OR k.unit_id = $5::text)
),
-- Each interval at each end of day it contains. The ends of days follow one another, so an
-- interval [valid_from, valid_to) contains a run of them: from the day its start falls in
-- (a start exactly at midnight counts for the day before) to the day its end falls in;
-- generating that run, then checking the exact instant, avoids testing every pair.
covered AS (
  SELECT k.ticket_id, k.unit_id, k.cycle, i.day, i.at
    FROM open_custody k
   CROSS JOIN LATERAL generate_series(
         greatest(((k.valid_from - interval '1 microsecond') AT TIME ZONE $4::text)::date, (SELECT min(day) FROM instants))::timestamp,
         least(((coalesce(k.valid_to, 'infinity') - interval '1 microsecond') AT TIME ZONE $4::text)::date,
               (SELECT max(day) FROM instants))::timestamp,
         interval '1 day') AS run(day)
    JOIN instants i ON i.day = run.day::date
   WHERE k.valid_from <= i.at AND coalesce(k.valid_to, 'infinity') > i.at
),
backlog AS (
  SELECT k.day, k.unit_id,
         extract(epoch FROM k.at - t.opened_at) AS age_s,
         -- The resolution due time at that instant: a hold in progress or a later one of the
         -- cycle recorded it as it stood; else the cycle's last recorded one. It is compared
         -- with the resolution clock, which a hold in progress stopped at its start.
         CASE WHEN h.started_at IS NOT NULL THEN h.resolution_due_before
              WHEN nh.started_at IS NOT NULL THEN nh.resolution_due_before
              ELSE c.resolution_due_at END < coalesce(h.started_at, k.at) AS over_target
    FROM covered k
    JOIN analytics.tickets t ON t.ticket_id = k.ticket_id
    JOIN analytics.cycles c ON c.ticket_id = k.ticket_id AND c.n = k.cycle
    LEFT JOIN analytics.holds h
           ON h.ticket_id = c.ticket_id AND h.cycle = c.n AND h.started_at <= k.at
          AND coalesce(h.ended_at, 'infinity') > k.at
    LEFT JOIN LATERAL (
         SELECT x.started_at, x.resolution_due_before FROM analytics.holds x
          WHERE x.ticket_id = c.ticket_id AND x.cycle = c.n AND x.started_at > k.at
          ORDER BY x.started_at LIMIT 1) nh ON true
)
SELECT i.day::text AS day, i.ends_at, i.at, u.unit_id,
       count(b.unit_id)::int AS count,
       count(*) FILTER (WHERE b.over_target)::int AS over_target,
       count(*) FILTER (WHERE b.age_s < 86400)::int AS lt1d,
       count(*) FILTER (WHERE b.age_s >= 86400 AND b.age_s < 3 * 86400)::int AS "1to3d",
       count(*) FILTER (WHERE b.age_s >= 3 * 86400 AND b.age_s < 7 * 86400)::int AS "3to7d",
       count(*) FILTER (WHERE b.age_s >= 7 * 86400)::int AS ge7d
  FROM instants i
 CROSS JOIN units u
  LEFT JOIN backlog b ON b.day = i.day AND b.unit_id = u.unit_id
 GROUP BY i.day, i.ends_at, i.at, u.unit_id
 ORDER BY i.day, u.unit_id`;

export interface BacklogRow {
  day: string;
  ends_at: Date;
  at: Date;
  unit_id: string;
  count: number;
  over_target: number;
  lt1d: number;
  '1to3d': number;
  '3to7d': number;
  ge7d: number;
}
