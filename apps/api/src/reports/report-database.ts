import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Where report SQL runs: the read-model database, which holds the `analytics` views. A port
 * of one method, so specs run the same report functions on a plain pg pool.
 */
export const REPORT_DATABASE = Symbol('REPORT_DATABASE');

export interface ReportDatabase {
  query<Row>(sql: string, params: readonly unknown[]): Promise<Row[]>;
}

export const reportDatabaseProvider: Provider = {
  provide: REPORT_DATABASE,
  inject: [DataSource],
  useFactory: (dataSource: DataSource): ReportDatabase => ({
    query: <Row>(sql: string, params: readonly unknown[]) => dataSource.query<Row[]>(sql, [...params]),
  }),
};
