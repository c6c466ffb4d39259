import { DELAYS_AS_OF } from '../as-of/delays-as-of.sql.js';
import { TICKETS_AS_OF } from '../as-of/tickets-as-of.sql.js';
import { UNIT_CELLS, UNIT_COLUMNS } from './unit-cells.sql.js';

/**
 * The unit performance report (KPIS.md "The unit performance report and its drill-down")
 * and its two breakdowns. Parameters: $1 asOf, $2 period from, $3 period to (half-open),
 * $4 unit (null: every unit; required by the breakdowns).
 */

/** Per unit U: U's stints that started in the period, as of asOf. */
export const UNIT_PERFORMANCE_SQL = `-- unit performance: per unit, over its stints that started in [$2, $3), as of $1
WITH spans AS (
  SELECT s.unit_id, NULL::text AS user_id, s.ticket_id, s.started_at, s.ended_at
    FROM analytics.stints s
   WHERE s.started_at >= $2::timestamptz AND s.started_at < $3::timestamptz AND s.started_at <= $1::timestamptz
     AND ($4::text IS NULL OR s.unit_id = $4::text)
),
scope AS (SELECT DISTINCT ticket_id FROM spans),
${DELAYS_AS_OF},
${TICKETS_AS_OF},
${UNIT_CELLS}
SELECT c.unit_id,
       ${UNIT_COLUMNS}
  FROM unit_cells c
 GROUP BY c.unit_id
 ORDER BY c.unit_id`;

/** Per user of unit $4: the assignments in $4 that started in the period; no pool-delay column. */
export const UNIT_USERS_SQL = `-- unit performance per user of unit $4: assignments in $4 that started in [$2, $3), as of $1
WITH spans AS (
  SELECT a.unit_id, a.user_id, a.ticket_id, a.claimed_at AS started_at, a.ended_at
    FROM analytics.assignments a
   WHERE a.claimed_at >= $2::timestamptz AND a.claimed_at < $3::timestamptz AND a.claimed_at <= $1::timestamptz
     AND a.unit_id = $4::text
),
scope AS (SELECT DISTINCT ticket_id FROM spans),
${DELAYS_AS_OF},
${TICKETS_AS_OF},
${UNIT_CELLS}
SELECT c.unit_id, c.user_id,
       ${UNIT_COLUMNS}
  FROM unit_cells c
 GROUP BY c.unit_id, c.user_id
 ORDER BY c.user_id`;

/** Per category within unit $4: the unit's columns, by each ticket's category as of asOf. */
export const UNIT_CATEGORIES_SQL = `-- unit performance per category within unit $4: its stints that started in [$2, $3), by category as of $1
WITH spans AS (
  SELECT s.unit_id, NULL::text AS user_id, s.ticket_id, s.started_at, s.ended_at
    FROM analytics.stints s
   WHERE s.started_at >= $2::timestamptz AND s.started_at < $3::timestamptz AND s.started_at <= $1::timestamptz
     AND s.unit_id = $4::text
),
scope AS (SELECT DISTINCT ticket_id FROM spans),
${DELAYS_AS_OF},
${TICKETS_AS_OF},
${UNIT_CELLS}
SELECT c.unit_id, c.category,
       ${UNIT_COLUMNS}
  FROM unit_cells c
 GROUP BY c.unit_id, c.category
 ORDER BY c.category`;

/** One row of any of the three: the unit, the user or category of the breakdown, the columns. */
export interface UnitPerformanceRow {
  unit_id: string;
  user_id?: string;
  category?: string;
  total: number;
  delayed: number;
  on_time: number;
  /** null for users: a claim delay belongs to the pool, not to a user */
  pool_delayed: number | null;
  in_pool: number;
  in_progress: number;
  routed_out: number;
  closed: number;
}
