import type { ReportDatabase } from '../report-database.js';
import { windowParams, type ReportWindow } from '../report-window.js';
import { TOP_CATEGORIES_SQL, type TopCategoryRow } from './top-categories.sql.js';

export const TOP_CATEGORY_COLUMNS = ['category', 'volume', 'on_time_response_pct', 'request_met_pct'] as const;

export function topCategories(db: ReportDatabase, window: ReportWindow, n: number): Promise<TopCategoryRow[]> {
  return db.query<TopCategoryRow>(TOP_CATEGORIES_SQL, [...windowParams(window), n]);
}
