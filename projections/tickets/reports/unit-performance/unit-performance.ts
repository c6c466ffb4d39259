import { windowParams, type ReportDatabase, type ReportStatement, type ReportWindow } from '#read-model/reports/report-statement.js';
import { UNIT_CATEGORIES_SQL, UNIT_PERFORMANCE_SQL, UNIT_USERS_SQL, type UnitPerformanceRow } from './unit-performance.sql.js';

/** The columns of the unit performance report, in KPIS.md's order. */
export const UNIT_PERFORMANCE_COLUMNS = [
  'total',
  'delayed',
  'on_time',
  'pool_delayed',
  'in_pool',
  'in_progress',
  'routed_out',
  'closed',
] as const;

/** Per unit (or the one unit given). */
export function unitPerformanceStatement(window: ReportWindow, unit: string | null = null): ReportStatement {
  return { sql: UNIT_PERFORMANCE_SQL, params: [...windowParams(window), unit] };
}

/** Per user of the unit; `pool_delayed` is always null. */
export function unitUsersStatement(window: ReportWindow, unit: string): ReportStatement {
  return { sql: UNIT_USERS_SQL, params: [...windowParams(window), unit] };
}

/** Per category (as of asOf) within the unit. */
export function unitCategoriesStatement(window: ReportWindow, unit: string): ReportStatement {
  return { sql: UNIT_CATEGORIES_SQL, params: [...windowParams(window), unit] };
}

export function unitPerformance(db: ReportDatabase, window: ReportWindow, unit: string | null = null): Promise<UnitPerformanceRow[]> {
  const { sql, params } = unitPerformanceStatement(window, unit);
  return db.query<UnitPerformanceRow>(sql, params);
}

export function unitUsers(db: ReportDatabase, window: ReportWindow, unit: string): Promise<UnitPerformanceRow[]> {
  const { sql, params } = unitUsersStatement(window, unit);
  return db.query<UnitPerformanceRow>(sql, params);
}

export function unitCategories(db: ReportDatabase, window: ReportWindow, unit: string): Promise<UnitPerformanceRow[]> {
  const { sql, params } = unitCategoriesStatement(window, unit);
  return db.query<UnitPerformanceRow>(sql, params);
}
