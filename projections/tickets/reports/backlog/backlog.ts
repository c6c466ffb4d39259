import { windowParams, type ReportStatement, type ReportWindow } from '#read-model/reports/report-statement.js';
import { BACKLOG_SQL } from './backlog.sql.js';

/** The columns of a backlog row (BacklogRow), in order: the CSV's. */
export const BACKLOG_COLUMNS = ['day', 'ends_at', 'at', 'unit_id', 'count', 'over_target', 'lt1d', '1to3d', '3to7d', 'ge7d'] as const;

/** The parameters of both backlog statements: the window, $4 its zone, $5 one unit or null for all. */
export function backlogParams(window: ReportWindow, unit: string | null): unknown[] {
  return [...windowParams(window), window.timeZone, unit];
}

/**
 * The backlog series computed at query time from this projection's custody intervals: the
 * reference the daily series (projections/unit-days) is checked against, and what the report
 * runs where that series does not exist in the request's zone.
 */
export function queryTimeBacklogStatement(window: ReportWindow, unit: string | null = null): ReportStatement {
  return { sql: BACKLOG_SQL, params: backlogParams(window, unit) };
}
