/**
 * The instants of a report: asOf and the period [from, to). Parameters: $1 asOf, $2 from,
 * $3 to (ISO-8601 text; null: the default), $4/$5/$6 whether each carries a UTC offset
 * (without one it is local time in the reporting zone, a bare date its local midnight),
 * $7 the reporting time zone. The default period is the local month asOf falls in.
 * `local_days` counts the local days (in $7) the period touches, from the day `from` falls in
 * to the day of its last instant: the days of a backlog series, the bound of REPORT_MAX_DAYS.
 */
export const REPORT_WINDOW_SQL = `-- asOf and the period [from, to) of a report, in zone $7
WITH given AS (
  SELECT CASE WHEN $4::boolean THEN $1::text::timestamptz ELSE $1::text::timestamp AT TIME ZONE $7::text END AS as_of,
         CASE WHEN $5::boolean THEN $2::text::timestamptz ELSE $2::text::timestamp AT TIME ZONE $7::text END AS period_from,
         CASE WHEN $6::boolean THEN $3::text::timestamptz ELSE $3::text::timestamp AT TIME ZONE $7::text END AS period_to
),
period AS (
  SELECT as_of,
         coalesce(period_from, date_trunc('month', as_of AT TIME ZONE $7::text) AT TIME ZONE $7::text) AS period_from,
         coalesce(period_to, (date_trunc('month', as_of AT TIME ZONE $7::text) + interval '1 month') AT TIME ZONE $7::text) AS period_to
    FROM given
)
SELECT as_of, period_from, period_to,
       ((period_to - interval '1 microsecond') AT TIME ZONE $7::text)::date - (period_from AT TIME ZONE $7::text)::date + 1 AS local_days
  FROM period`;
