/**
 * The spans a unit performance row counts — a unit's stints, or a user's assignments in a
 * unit — that started in the period [$2, $3) by asOf $1, as three CTEs:
 * - `scope(ticket_id)`: tickets with an event after asOf (reconstructed as of asOf);
 * - `spans`: those tickets' spans in the period;
 * - `settled_spans`: the spans of every other ticket, with the settled columns their rows
 *   carry (projections/tickets/tables.ts), read straight from the span table's indexes.
 * Columns of both: unit_id, user_id (null for stints), ticket_id, started_at, ended_at,
 * ticket_last_event_at, ticket_custody_state, ticket_unit_id, category, delayed, delay_due_at,
 * pool_delayed, pool_delay_due_at (null for assignments), siblings (how many spans the ticket
 * has with this unit, or this user in this unit).
 */
export interface SpanSource {
  /** `stints` (a unit's rows) or `assignments` (a user's rows) */
  table: 'stints' | 'assignments';
  /** which of them, besides the period: e.g. the unit */
  where: string;
}

const SPAN_COLUMNS = {
  stints: `s.unit_id, NULL::text AS user_id, s.ticket_id, s.started_at, s.ended_at,
         s.ticket_last_event_at, s.ticket_custody_state, s.ticket_unit_id, s.category,
         s.delayed, s.delay_due_at, s.pool_delayed, s.pool_delay_due_at, s.unit_stints AS siblings`,
  assignments: `s.unit_id, s.user_id, s.ticket_id, s.claimed_at AS started_at, s.ended_at,
         s.ticket_last_event_at, s.ticket_custody_state, s.ticket_unit_id, s.category,
         s.delayed, s.delay_due_at, NULL::boolean AS pool_delayed, NULL::timestamptz AS pool_delay_due_at, s.user_assignments AS siblings`,
};

/** What the ticket lists show of a settled span's ticket (tables.ts ticketState), as the ticket list's columns. */
export const SPAN_LISTING_COLUMNS = `s.ticket_opened_at, s.ticket_channel, s.ticket_priority, s.ticket_status, s.ticket_user_id,
         s.ticket_closed_at`;

function inPeriod(source: SpanSource): string {
  const start = source.table === 'stints' ? 's.started_at' : 's.claimed_at';
  return `${start} >= $2::timestamptz AND ${start} < $3::timestamptz AND ${start} <= $1::timestamptz AND ${source.where}`;
}

/** With `listing`, the spans also carry SPAN_LISTING_COLUMNS (the ticket lists read settled tickets from them). */
export function spanCtes(sources: SpanSource[], listing = false): string {
  const part = (source: SpanSource, from: string, settled: string) =>
    `SELECT ${SPAN_COLUMNS[source.table]}${listing ? `,\n         ${SPAN_LISTING_COLUMNS}` : ''}
    FROM ${from}analytics.${source.table} s${from ? ' USING (ticket_id)' : ''}
   WHERE ${inPeriod(source)}${settled}`;
  return `scope AS (
  -- Tickets with an event after asOf, opened by the period's end: reconstructed as of asOf.
  SELECT t.ticket_id FROM analytics.tickets t
   WHERE t.last_event_at > $1::timestamptz AND t.opened_at <= $1::timestamptz AND t.opened_at < $3::timestamptz
),
spans AS (
  ${sources.map((source) => part(source, 'scope JOIN ', '')).join('\n  UNION ALL\n  ')}
),
settled_spans AS NOT MATERIALIZED (
  ${sources.map((source) => part(source, '', '\n     AND s.ticket_last_event_at <= $1::timestamptz')).join('\n  UNION ALL\n  ')}
)`;
}

/** Where the ticket is as of asOf, from the span's point of view. */
const STATUS_IN_UNIT = (custodyState: string, unit: string) => `CASE WHEN ${custodyState} = 'closed' THEN 'closed'
              WHEN ${unit} <> sp.unit_id THEN 'routed_out'
              WHEN ${custodyState} = 'in_pool' THEN 'in_pool'
              ELSE 'in_progress' END`;
const SETTLED_DELAYED = `(sp.delayed OR coalesce(sp.delay_due_at < $1::timestamptz, false))`;
const SETTLED_POOL_DELAYED = `(sp.pool_delayed OR coalesce(sp.pool_delay_due_at < $1::timestamptz, false))`;

/**
 * The cells, one row per (unit, user, ticket) of the spans,
 * with the flags the unit performance columns count (KPIS.md "The unit performance report
 * and its drill-down"). Needs `spanCtes`, `delays_as_of` and `query_time_tickets`.
 *
 * - delayed: a response or resolution delay attributed to the unit (and to the user, for
 *   assignments) whose due time falls within one of the ticket's spans;
 * - pool_delayed: a claim delay of the unit's pool within one of those spans (stints only);
 * - status_in_unit as of asOf: closed (closed anywhere), in_pool (in the unit's pool), in_progress
 *   (held by a user of the unit, on hold included), or routed_out (with another unit).
 *
 * A settled span carries its flags as of its ticket's last event and the due time from which
 * an open phase or pool wait makes it delayed; a ticket with one such span is a cell without
 * any grouping, one with several (a route back, a reopening) is grouped. QUERY_TIME_CELLS is
 * the CTE `query_time_cells` (the spans of `scope`); settledCells the settled ones.
 */
export const QUERY_TIME_CELLS = `query_time_cells AS (
  SELECT sp.unit_id, sp.user_id, sp.ticket_id,
         coalesce(bool_or(d.phase IN ('response', 'resolution') AND (sp.user_id IS NULL OR d.user_id = sp.user_id)), false) AS delayed,
         CASE WHEN sp.user_id IS NULL THEN coalesce(bool_or(d.phase = 'claim'), false) END AS pool_delayed,
         ${STATUS_IN_UNIT('ta.custody_state', 'ta.unit_id')} AS status_in_unit,
         ta.category
    FROM spans sp
    JOIN query_time_tickets ta USING (ticket_id)
    -- The delays attributed to the span's unit that fell due within the span.
    LEFT JOIN delays_as_of d
           ON d.ticket_id = sp.ticket_id AND d.unit_id = sp.unit_id
          AND d.due_at >= sp.started_at AND d.due_at < coalesce(sp.ended_at, 'infinity')
   GROUP BY sp.unit_id, sp.user_id, sp.ticket_id, ta.custody_state, ta.unit_id, ta.category
)`;

/**
 * The settled spans' cells (`settled_spans sp`), as UNIT_CELLS has them, each also carrying
 * `carried`: columns of sp constant per ticket (its settled state), kept beside the cell.
 */
export function settledCells(carried: string[] = []): string {
  const extra = carried.map((column) => `,\n         ${column}`).join('');
  const grouped = carried.map((column) => `, ${column.replace(/ AS \w+$/, '')}`).join('');
  return `SELECT sp.unit_id, sp.user_id, sp.ticket_id,
         ${SETTLED_DELAYED} AS delayed,
         CASE WHEN sp.user_id IS NULL THEN ${SETTLED_POOL_DELAYED} END AS pool_delayed,
         ${STATUS_IN_UNIT('sp.ticket_custody_state', 'sp.ticket_unit_id')} AS status_in_unit,
         sp.category${extra}
    FROM settled_spans sp
   WHERE sp.siblings = 1
  UNION ALL
  SELECT sp.unit_id, sp.user_id, sp.ticket_id,
         bool_or(${SETTLED_DELAYED}) AS delayed,
         CASE WHEN sp.user_id IS NULL THEN bool_or(${SETTLED_POOL_DELAYED}) END AS pool_delayed,
         ${STATUS_IN_UNIT('sp.ticket_custody_state', 'sp.ticket_unit_id')} AS status_in_unit,
         sp.category${extra}
    FROM settled_spans sp
   WHERE sp.siblings > 1
   GROUP BY sp.unit_id, sp.user_id, sp.ticket_id, sp.ticket_custody_state, sp.ticket_unit_id, sp.category${grouped}`;
}

/** The CTEs `query_time_cells` and `unit_cells` (see QUERY_TIME_CELLS): every cell, query-time and settled. */
export const UNIT_CELLS = `${QUERY_TIME_CELLS},
unit_cells AS (
  SELECT * FROM query_time_cells
  UNION ALL
  ${settledCells()}
)`;

/** The counted columns of a unit performance row, over `unit_cells c` grouped by the caller. */
export const UNIT_COLUMNS = `count(*)::int AS total,
       count(*) FILTER (WHERE c.delayed)::int AS delayed,
       count(*) FILTER (WHERE NOT c.delayed)::int AS on_time,
       CASE WHEN bool_and(c.user_id IS NULL) THEN count(*) FILTER (WHERE c.pool_delayed)::int END AS pool_delayed,
       count(*) FILTER (WHERE c.status_in_unit = 'in_pool')::int AS in_pool,
       count(*) FILTER (WHERE c.status_in_unit = 'in_progress')::int AS in_progress,
       count(*) FILTER (WHERE c.status_in_unit = 'routed_out')::int AS routed_out,
       count(*) FILTER (WHERE c.status_in_unit = 'closed')::int AS closed`;
