import type { ReportDatabase, ReportStatement, ReportWindow } from '#read-model/reports/report-statement.js';
import { backlogParams, queryTimeBacklogStatement } from '#projections/tickets/reports/backlog/backlog.js';
import type { BacklogRow } from '#projections/tickets/reports/backlog/backlog.sql.js';
import { BACKLOG_DAILY_SQL, HAS_DAILY_SERIES_SQL, UNIT_DAYS_ZONE_SQL } from './backlog-daily.sql.js';

/** The series, and which statement computed it. */
export interface BacklogAnswer {
  rows: BacklogRow[];
  /** `daily-series`: BACKLOG_DAILY_SQL over unit_days; `query-time`: BACKLOG_SQL over the tickets projection */
  source: 'daily-series' | 'query-time';
}

/**
 * The backlog series (KPIS.md "Backlog"). It comes from the daily series per unit when the
 * series is cut in the request's zone; a request in another zone, or a database without the
 * series (before the projection's first version exists), takes BACKLOG_SQL, the query-time
 * reference over the tickets projection. Both give identical rows.
 */
export async function backlogStatement(
  db: ReportDatabase,
  window: ReportWindow,
  unit: string | null = null,
): Promise<ReportStatement & Pick<BacklogAnswer, 'source'>> {
  const [{ has_daily_series: hasSeries }] = await db.query<{ has_daily_series: boolean }>(HAS_DAILY_SERIES_SQL, []);
  const zone = hasSeries ? (await db.query<{ time_zone: string }>(UNIT_DAYS_ZONE_SQL, []))[0]?.time_zone : undefined;
  if (zone === window.timeZone) return { sql: BACKLOG_DAILY_SQL, params: backlogParams(window, unit), source: 'daily-series' };
  return { ...queryTimeBacklogStatement(window, unit), source: 'query-time' };
}

export async function readBacklog(db: ReportDatabase, window: ReportWindow, unit: string | null = null): Promise<BacklogAnswer> {
  const { sql, params, source } = await backlogStatement(db, window, unit);
  return { rows: await db.query<BacklogRow>(sql, params), source };
}

export async function backlogSeries(db: ReportDatabase, window: ReportWindow, unit: string | null = null): Promise<BacklogRow[]> {
  return (await readBacklog(db, window, unit)).rows;
}
