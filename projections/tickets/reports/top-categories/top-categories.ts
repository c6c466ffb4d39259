import { windowParams, type ReportDatabase, type ReportStatement, type ReportWindow } from '#read-model/reports/report-statement.js';
import { TOP_CATEGORIES_SQL, type TopCategoryRow } from './top-categories.sql.js';

export const TOP_CATEGORY_COLUMNS = ['category', 'volume', 'on_time_response_pct', 'request_met_pct'] as const;

export function topCategoriesStatement(window: ReportWindow, n: number): ReportStatement {
  return { sql: TOP_CATEGORIES_SQL, params: [...windowParams(window), n] };
}

export function topCategories(db: ReportDatabase, window: ReportWindow, n: number): Promise<TopCategoryRow[]> {
  const { sql, params } = topCategoriesStatement(window, n);
  return db.query<TopCategoryRow>(sql, params);
}
