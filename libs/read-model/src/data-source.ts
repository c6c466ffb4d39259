import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS_TABLE, READ_MODEL_MIGRATIONS } from './migrations/index.js';

export interface ReadModelDataSourceOptions {
  url: string;
  /** Entity classes or schemas of the process that opens the data source. */
  entities?: DataSourceOptions['entities'];
  /** Shown in pg_stat_activity, so an operator sees which process holds a connection. */
  applicationName: string;
  poolSize?: number;
  /**
   * Keep every connection once opened (no idle timeout). pg's default closes a connection idle
   * for 10 s, so under steady load the least used ones close and the next burst opens them
   * again, each a backend start on the server (issue 12's lag stalls).
   */
  keepConnections?: boolean;
}

/**
 * The TypeORM data source of the read store. The schema comes only from migrations
 * (DESIGN.md §6): `synchronize` would rewrite analysts' tables behind their backs.
 */
export function createReadModelDataSource(options: ReadModelDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    entities: options.entities ?? [],
    migrations: READ_MODEL_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    installExtensions: false,
    logging: false,
    poolSize: options.poolSize ?? 10,
    ...(options.keepConnections ? { extra: { idleTimeoutMillis: 0 } } : {}),
  });
}

// Any fixed number works; it only has to differ from the event store's migration lock.
const MIGRATION_LOCK_KEY = 7_361_902_114;

/**
 * Runs the pending read-store migrations. Two processes starting on one database at once
 * would both try to create TypeORM's migrations table and the same tables: a session
 * advisory lock makes the second wait and then find nothing left to do.
 */
export async function migrateReadModel(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
