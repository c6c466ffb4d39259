/**
 * CTEs `open_phases_as_of` and `delays_as_of`: every phase instance of the statement's
 * `scope(ticket_id)` that is delayed as of `$1` (asOf), one row each, with its attribution
 * (KPIS.md "Phases and delays").
 *
 * `analytics.delays` holds the TicketDelayed events: phases that completed late, and those
 * the SLA watchdog saw pass. An open phase past due at asOf is delayed too, even before the
 * watchdog has written it, and a delay written after asOf does not exist yet; so the
 * recorded response/resolution delays are taken up to asOf and the open phases past due are
 * added here. Claim phases are read straight off the pool waits, which carry everything
 * the definition needs.
 *
 * delays_as_of columns: ticket_id, phase (claim, response, resolution), cycle, pool_wait (n,
 * claims only), unit_id, user_id (null for claims, and when the ticket sat in a pool at the
 * due time), due_at.
 */
export const DELAYS_AS_OF = `open_phases_as_of AS (
  -- Response and resolution phases still open at asOf, with the due time and the clock as
  -- they stood then. Hold freezes both clocks at the hold's start. A resume after asOf moves
  -- the due time later, so the due time at asOf is the one the next hold of the cycle found
  -- standing when it began, or else the cycle's last recorded one.
  SELECT c.ticket_id, c.n AS cycle, p.phase,
         CASE WHEN h.started_at IS NOT NULL THEN CASE p.phase WHEN 'response' THEN h.response_due_before ELSE h.resolution_due_before END
              WHEN nh.started_at IS NOT NULL THEN CASE p.phase WHEN 'response' THEN nh.response_due_before ELSE nh.resolution_due_before END
              ELSE CASE p.phase WHEN 'response' THEN c.response_due_at ELSE c.resolution_due_at END
         END AS due_at,
         coalesce(h.started_at, $1::timestamptz) AS clock
    FROM scope
    JOIN analytics.cycles c USING (ticket_id)
   CROSS JOIN LATERAL (VALUES ('response', c.response_completed_at), ('resolution', c.closed_at)) AS p(phase, completed_at)
    LEFT JOIN analytics.holds h
           ON h.ticket_id = c.ticket_id AND h.cycle = c.n AND h.started_at <= $1::timestamptz
          AND coalesce(h.ended_at, 'infinity') > $1::timestamptz
    LEFT JOIN LATERAL (
         SELECT x.started_at, x.response_due_before, x.resolution_due_before FROM analytics.holds x
          WHERE x.ticket_id = c.ticket_id AND x.cycle = c.n AND x.started_at > $1::timestamptz
          ORDER BY x.started_at LIMIT 1) nh ON true
   WHERE c.started_at <= $1::timestamptz
     AND coalesce(p.completed_at, 'infinity') > $1::timestamptz
),
delays_as_of AS (
  -- Claim: delayed when its due time passed before the pool wait ended (a claim, a route
  -- away or a close), or before asOf while it is still waiting; always the pool's unit.
  SELECT w.ticket_id, 'claim' AS phase, w.cycle, w.n AS pool_wait, w.unit_id, NULL::text AS user_id, w.claim_due_at AS due_at
    FROM scope
    JOIN analytics.pool_waits w USING (ticket_id)
   WHERE w.started_at <= $1::timestamptz
     AND w.claim_due_at < least(coalesce(w.ended_at, 'infinity'), $1::timestamptz)
  UNION ALL
  -- Response and resolution delays recorded by asOf, attributed when they were written.
  SELECT d.ticket_id, d.phase, d.cycle, NULL, d.unit_id, d.user_id, d.due_at
    FROM scope
    JOIN analytics.delays d USING (ticket_id)
   WHERE d.phase IN ('response', 'resolution') AND d.detected_at <= $1::timestamptz
  UNION ALL
  -- Open phases past due at asOf with no delay recorded yet: attributed to whoever held the
  -- ticket at the due time (a pool's unit with no user while it sat unclaimed).
  SELECT o.ticket_id, o.phase, o.cycle, NULL, k.unit_id, k.user_id, o.due_at
    FROM open_phases_as_of o
   CROSS JOIN LATERAL (
         SELECT k.unit_id, k.user_id FROM analytics.custody k
          WHERE k.ticket_id = o.ticket_id AND k.valid_from <= o.due_at
          ORDER BY k.valid_from DESC, k.seq DESC LIMIT 1) k
   WHERE o.due_at < o.clock
     AND NOT EXISTS (
         SELECT 1 FROM analytics.delays r
          WHERE r.ticket_id = o.ticket_id AND r.phase = o.phase AND r.cycle = o.cycle AND r.detected_at <= $1::timestamptz)
)`;
