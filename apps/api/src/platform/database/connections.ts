import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../../../../libs/event-store/src/index.js';
import { PostgresEventStore } from '../../../../../libs/event-store/src/postgres/index.js';
import { attachDatabase, createReadModelDataSource, destroyDataSource, endPool, openDatabase, type OpenDatabase } from '../../../../../libs/read-model/src/index.js';
import type { DatabaseConfig } from '../../config/app-config.js';
import type { ApiKeyRecord } from '../../access/api-keys/api-key.record.js';
import type { JsonLogger } from '../logging/json-logger.js';
import { migrateDatabase } from './migrate-database.js';

/** Everything a process holds open on PostgreSQL, closed in the reverse order it was opened. */
export interface Connections {
  database: OpenDatabase;
  eventStorePool: pg.Pool;
  idempotencyPool: pg.Pool;
  dataSource: DataSource;
  eventStore: EventStore;
  close(): Promise<void>;
}

export interface ConnectOptions {
  config: DatabaseConfig;
  logger: JsonLogger;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  entities: Array<typeof ApiKeyRecord>;
  /**
   * `own` (the API): DATABASE_URL or start the embedded server. `attach` (the CLI): join the
   * embedded server a running API wrote into DATA_DIR, starting it only if nothing runs.
   */
  mode?: 'own' | 'attach';
}

// Sized for two cores and several API processes on one server (max_connections 200 embedded).
const EVENT_STORE_POOL_SIZE = 20;
// Each in-flight idempotent command and each retry waiting behind it holds one connection.
const IDEMPOTENCY_POOL_SIZE = 40;
const READ_MODEL_POOL_SIZE = 10;

function pool(url: string, max: number, applicationName: string, logger: JsonLogger): pg.Pool {
  const created = new pg.Pool({ connectionString: url, max, application_name: applicationName });
  // An idle client that loses its server (restart, network) emits here; unhandled, it would crash the process.
  created.on('error', (error) => logger.write('warn', 'an idle PostgreSQL connection failed; the pool replaces it', { error: error.message }));
  return created;
}

/**
 * Opens the database (DATABASE_URL or the embedded server), runs both schemas' migrations, and
 * makes the pools, the TypeORM data source and the event store. The one place that chooses the
 * event-store adapter: EVENT_STORE=eventstoredb will plug in here.
 */
export async function openConnections(options: ConnectOptions): Promise<Connections> {
  const { config, logger, applicationName } = options;
  const open = options.mode === 'attach' ? attachDatabase : openDatabase;
  const database = await open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    log: (msg, fields) => logger.info(msg, fields),
  });
  const opened: Array<() => Promise<void>> = [() => database.close()];
  const closeAll = async (): Promise<void> => {
    const failures: unknown[] = [];
    for (const close of opened.reverse()) {
      try {
        await close();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'closing the database connections failed');
  };
  try {
    const eventStorePool = pool(database.url, EVENT_STORE_POOL_SIZE, `${applicationName}:event-store`, logger);
    opened.push(() => endPool(eventStorePool));
    const idempotencyPool = pool(database.url, IDEMPOTENCY_POOL_SIZE, `${applicationName}:idempotency`, logger);
    opened.push(() => endPool(idempotencyPool));
    const dataSource = createReadModelDataSource({
      url: database.url,
      applicationName: `${applicationName}:read-model`,
      entities: options.entities,
      poolSize: READ_MODEL_POOL_SIZE,
    });
    await dataSource.initialize();
    opened.push(() => destroyDataSource(dataSource));
    const report = await migrateDatabase(eventStorePool, dataSource);
    logger.info('database schema is up to date', { mode: database.mode, ...report });
    const eventStore = new PostgresEventStore(eventStorePool);
    opened.push(() => eventStore.close());
    return { database, eventStorePool, idempotencyPool, dataSource, eventStore, close: closeAll };
  } catch (error) {
    try {
      await closeAll();
    } catch (closeError) {
      throw new AggregateError([error, closeError], 'opening the database failed, and so did closing what was opened');
    }
    throw error;
  }
}
