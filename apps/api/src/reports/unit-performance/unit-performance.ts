import type { ReportDatabase } from '../report-database.js';
import { windowParams, type ReportWindow } from '../report-window.js';
import { UNIT_CATEGORIES_SQL, UNIT_PERFORMANCE_SQL, UNIT_USERS_SQL, type UnitPerformanceRow } from './unit-performance.sql.js';

/** The columns of the unit performance report, in KPIS.md's order. */
export const UNIT_PERFORMANCE_COLUMNS = ['total', 'delayed', 'on_time', 'pool_delayed', 'in_pool', 'in_progress', 'routed_out', 'closed'] as const;

/** Per unit (or the one unit given). */
export function unitPerformance(db: ReportDatabase, window: ReportWindow, unit: string | null = null): Promise<UnitPerformanceRow[]> {
  return db.query<UnitPerformanceRow>(UNIT_PERFORMANCE_SQL, [...windowParams(window), unit]);
}

/** Per user of the unit; `pool_delayed` is always null. */
export function unitUsers(db: ReportDatabase, window: ReportWindow, unit: string): Promise<UnitPerformanceRow[]> {
  return db.query<UnitPerformanceRow>(UNIT_USERS_SQL, [...windowParams(window), unit]);
}

/** Per category (as of asOf) within the unit. */
export function unitCategories(db: ReportDatabase, window: ReportWindow, unit: string): Promise<UnitPerformanceRow[]> {
  return db.query<UnitPerformanceRow>(UNIT_CATEGORIES_SQL, [...windowParams(window), unit]);
}
