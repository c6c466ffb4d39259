/**
 * Settled and query-time tickets. A report's tickets come in two parts: `settled`, the
 * `analytics.tickets` rows of those whose last event is at or before asOf, and `scope(ticket_id)`,
 * the others. A settled ticket is read from its row (and the settled columns of its stint and
 * assignment rows): nothing happened to it between its last event and asOf. The others are
 * reconstructed as of asOf from their instants by the query-time CTEs below. With asOf = now
 * nearly every ticket is settled; a spec checks both ways give the same figures for every ticket.
 */
/** The columns of `tickets_as_of` for a settled ticket, from its `analytics.tickets` row `t`. */
export const SETTLED_AS_OF_COLUMNS = `t.ticket_id, t.opened_at, t.channel, t.category, t.priority,
         t.custody_state, t.unit_id, t.holder, t.status,
         t.cycle_count AS cycle, t.last_closed_at AS closed_at, t.last_closed_by AS closed_by,
         CASE WHEN t.custody_state = 'closed' THEN t.last_resolution END AS resolution, t.request_met,
         t.first_solution_at, t.first_closed_at,
         t.frt_business_s, t.tfs_business_s, t.trt_business_s`;

/**
 * CTE `query_time_tickets`: each ticket of the statement's `scope(ticket_id)` as it stood at
 * `$1` (asOf). Rows and instants after asOf do not exist for a report (KPIS.md "Time"), so
 * where the ticket was, its classification and its latest cycle are looked up as of then,
 * never taken from the facts row, which holds the state after the last event.
 *
 * Columns: ticket_id, opened_at, channel, category, priority, custody_state (custody state: in_pool,
 * held, closed), unit_id (the pool's unit, the holder's unit or the closing unit), holder,
 * status (in_pool, in_progress, on_hold, closed), cycle (the latest cycle started by asOf),
 * closed_at / closed_by / resolution / request_met (of that cycle's close, when it is closed
 * as of asOf), first_solution_at, first_closed_at (when they happened by asOf), and
 * frt_business_s, tfs_business_s, trt_business_s (once their span ended by asOf; TRT that of
 * the latest close by then: the business measures are final when their span ends).
 */
export const QUERY_TIME_TICKETS = `query_time_tickets AS (
  SELECT t.ticket_id, t.opened_at, t.channel, cl.category, cl.priority,
         k.custody_state, k.unit_id, k.user_id AS holder,
         CASE WHEN k.custody_state <> 'held' THEN k.custody_state
              WHEN oh.started_at IS NOT NULL THEN 'on_hold'
              ELSE 'in_progress' END AS status,
         lc.n AS cycle,
         -- Custody says closed exactly when the latest cycle's close happened by asOf.
         CASE WHEN k.custody_state = 'closed' THEN lc.closed_at END AS closed_at,
         CASE WHEN k.custody_state = 'closed' THEN lc.closed_by END AS closed_by,
         CASE WHEN k.custody_state = 'closed' THEN lc.resolution END AS resolution,
         CASE WHEN k.custody_state = 'closed' THEN lc.request_met END AS request_met,
         CASE WHEN t.first_solution_at <= $1::timestamptz THEN t.first_solution_at END AS first_solution_at,
         CASE WHEN t.first_closed_at <= $1::timestamptz THEN t.first_closed_at END AS first_closed_at,
         CASE WHEN t.first_response_at <= $1::timestamptz THEN t.frt_business_s END AS frt_business_s,
         CASE WHEN t.first_solution_at <= $1::timestamptz THEN t.tfs_business_s END AS tfs_business_s,
         CASE WHEN k.custody_state = 'closed' THEN lc.trt_business_s END AS trt_business_s
    FROM scope
    JOIN analytics.tickets t USING (ticket_id)
   CROSS JOIN LATERAL (
         SELECT c.category, c.priority FROM analytics.classifications c
          WHERE c.ticket_id = t.ticket_id AND c.valid_from <= $1::timestamptz
          ORDER BY c.valid_from DESC LIMIT 1) cl
   -- Intervals starting at one instant are ordered by seq, a zero-length one first, so the
   -- last one at or before asOf is where the ticket stayed.
   CROSS JOIN LATERAL (
         SELECT k.custody_state, k.unit_id, k.user_id FROM analytics.custody k
          WHERE k.ticket_id = t.ticket_id AND k.valid_from <= $1::timestamptz
          ORDER BY k.valid_from DESC, k.seq DESC LIMIT 1) k
   CROSS JOIN LATERAL (
         SELECT c.n, c.closed_at, c.closed_by, c.resolution, c.request_met, c.trt_business_s FROM analytics.cycles c
          WHERE c.ticket_id = t.ticket_id AND c.started_at <= $1::timestamptz
          ORDER BY c.n DESC LIMIT 1) lc
    LEFT JOIN analytics.holds oh
           ON oh.ticket_id = t.ticket_id AND oh.started_at <= $1::timestamptz
          AND coalesce(oh.ended_at, 'infinity') > $1::timestamptz
)`;

/** CTEs `query_time_tickets` and `tickets_as_of`: those and the `settled` tickets, read from their rows. */
export const TICKETS_AS_OF = `${QUERY_TIME_TICKETS},
tickets_as_of AS (
  SELECT * FROM query_time_tickets
  UNION ALL
  SELECT ${SETTLED_AS_OF_COLUMNS}
    FROM settled t
)`;
