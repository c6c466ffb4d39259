import pg from 'pg';
import type { ReportDatabase } from '../reports/report-statement.js';

/** Report SQL on a plain pg pool, for specs that run the reports without Nest. */
export function pgReportDatabase(pool: pg.Pool): ReportDatabase {
  return { query: async <Row>(sql: string, params: readonly unknown[]) => (await pool.query(sql, [...params])).rows as Row[] };
}
