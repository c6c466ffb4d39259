import { DELAYS_AS_OF } from '../as-of/delays-as-of.sql.js';
import { QUERY_TIME_TICKETS } from '../as-of/tickets-as-of.sql.js';
import { spanCtes, UNIT_CELLS, UNIT_COLUMNS } from './unit-cells.sql.js';

/**
 * The unit performance report (KPIS.md "The unit performance report and its drill-down")
 * and its two breakdowns. Parameters: $1 asOf, $2 period from, $3 period to (half-open),
 * $4 unit (null: every unit; required by the breakdowns).
 */

/** Per unit U: U's stints that started in the period, as of asOf. */
export const UNIT_PERFORMANCE_SQL = `-- unit performance: per unit, over its stints that started in [$2, $3), as of $1
WITH ${spanCtes([{ table: 'stints', where: `($4::text IS NULL OR s.unit_id = $4::text)` }])},
${DELAYS_AS_OF},
${QUERY_TIME_TICKETS},
${UNIT_CELLS}
SELECT c.unit_id,
       ${UNIT_COLUMNS}
  FROM unit_cells c
 GROUP BY c.unit_id
 ORDER BY c.unit_id`;

/** Per user of unit $4: the assignments in $4 that started in the period; no pool-delay column. */
export const UNIT_USERS_SQL = `-- unit performance per user of unit $4: assignments in $4 that started in [$2, $3), as of $1
WITH ${spanCtes([{ table: 'assignments', where: `s.unit_id = $4::text` }])},
${DELAYS_AS_OF},
${QUERY_TIME_TICKETS},
${UNIT_CELLS}
SELECT c.unit_id, c.user_id,
       ${UNIT_COLUMNS}
  FROM unit_cells c
 GROUP BY c.unit_id, c.user_id
 ORDER BY c.user_id`;

/** Per category within unit $4: the unit's columns, by each ticket's category as of asOf. */
export const UNIT_CATEGORIES_SQL =
  '-- unit performance per category within unit $4: its stints that started in [$2, $3), by category as of $1\n' +
  `WITH ${spanCtes([{ table: 'stints', where: `s.unit_id = $4::text` }])},
${DELAYS_AS_OF},
${QUERY_TIME_TICKETS},
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
