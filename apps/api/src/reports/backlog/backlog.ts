import type { ReportDatabase } from '../report-database.js';
import { windowParams, type ReportWindow } from '../report-window.js';
import { BACKLOG_SQL, type BacklogRow } from './backlog.sql.js';

export const BACKLOG_COLUMNS = ['day', 'ends_at', 'at', 'unit_id', 'count', 'over_target', 'lt1d', '1to3d', '3to7d', 'ge7d'] as const;

export function backlogSeries(db: ReportDatabase, window: ReportWindow, unit: string | null = null): Promise<BacklogRow[]> {
  return db.query<BacklogRow>(BACKLOG_SQL, [...windowParams(window), window.timeZone, unit]);
}
