/**
 * CTE `unit_cells`: one row per (unit, user, ticket) of the statement's `spans(unit_id,
 * user_id, ticket_id, started_at, ended_at)` — a unit's stints (user_id null) or a user's
 * assignments in a unit — with the flags the unit performance columns count (KPIS.md "The
 * unit performance report and its drill-down"). Needs `delays_as_of` and `tickets_as_of`.
 *
 * - delayed: a response or resolution delay attributed to the unit (and to the user, for
 *   assignments) whose due time falls within one of the ticket's spans;
 * - pool_delayed: a claim delay of the unit's pool within one of those spans (stints only);
 * - position as of asOf: closed (closed anywhere), in_pool (in the unit's pool), in_progress
 *   (held by a user of the unit, on hold included), or routed_out (with another unit).
 */
export const UNIT_CELLS = `unit_cells AS (
  SELECT sp.unit_id, sp.user_id, sp.ticket_id,
         coalesce(bool_or(d.phase IN ('response', 'resolution') AND (sp.user_id IS NULL OR d.user_id = sp.user_id)), false) AS delayed,
         CASE WHEN sp.user_id IS NULL THEN coalesce(bool_or(d.phase = 'claim'), false) END AS pool_delayed,
         CASE WHEN ta.place = 'closed' THEN 'closed'
              WHEN ta.unit_id <> sp.unit_id THEN 'routed_out'
              WHEN ta.place = 'in_pool' THEN 'in_pool'
              ELSE 'in_progress' END AS position,
         ta.category
    FROM spans sp
    JOIN tickets_as_of ta USING (ticket_id)
    -- The delays attributed to the span's unit that fell due within the span.
    LEFT JOIN delays_as_of d
           ON d.ticket_id = sp.ticket_id AND d.unit_id = sp.unit_id
          AND d.due_at >= sp.started_at AND d.due_at < coalesce(sp.ended_at, 'infinity')
   GROUP BY sp.unit_id, sp.user_id, sp.ticket_id, ta.place, ta.unit_id, ta.category
)`;

/** The counted columns of a unit performance row, over `unit_cells c` grouped by the caller. */
export const UNIT_COLUMNS = `count(*)::int AS total,
       count(*) FILTER (WHERE c.delayed)::int AS delayed,
       count(*) FILTER (WHERE NOT c.delayed)::int AS on_time,
       CASE WHEN bool_and(c.user_id IS NULL) THEN count(*) FILTER (WHERE c.pool_delayed)::int END AS pool_delayed,
       count(*) FILTER (WHERE c.position = 'in_pool')::int AS in_pool,
       count(*) FILTER (WHERE c.position = 'in_progress')::int AS in_progress,
       count(*) FILTER (WHERE c.position = 'routed_out')::int AS routed_out,
       count(*) FILTER (WHERE c.position = 'closed')::int AS closed`;
