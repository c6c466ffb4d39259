import pg from 'pg';
import type { DataSource } from 'typeorm';
import { EventStoreUnavailableError, type EventStore } from '#event-store';
import { EventStoreDbEventStore } from '#event-store/eventstoredb/index.js';
import { PostgresEventStore } from '#event-store/postgres/index.js';
import { attachDatabase, createReadModelDataSource, destroyDataSource, endPool, openDatabase, type OpenDatabase } from '#read-model';
import {
  DEFAULT_REPORT_LIMITS,
  redactCredentials,
  type DatabaseConfig,
  type EventStoreConfig,
  type ReportLimits,
} from '../config/app-config.js';
import type { ApiKeyRecord } from '../api-keys/api-key.record.js';
import type { JsonLogger } from '../logging/json-logger.js';
import { migrateDatabase } from './migrate-database.js';

/** Everything a process holds open on PostgreSQL, closed in the reverse order it was opened. */
export interface Connections {
  database: OpenDatabase;
  eventStorePool: pg.Pool;
  idempotencyPool: pg.Pool;
  /**
   * The inline projections' own connections (runners, watchdog, deliverer) and an event store
   * reading through them: however far behind they are, they never queue before an append.
   * Connects lazily, so a process that runs no projection opens none.
   */
  projections: { pool: pg.Pool; eventStore: EventStore };
  /** Report statements only (REPORT_POOL_SIZE, REPORT_STATEMENT_TIMEOUT); connects lazily. */
  reportPool: pg.Pool;
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
  /** The report pool's size and statement timeout; default DEFAULT_REPORT_LIMITS. */
  reports?: Pick<ReportLimits, 'poolSize' | 'statementTimeoutMs'>;
  /**
   * Open every connection of the command path's pools (event store, idempotency, read model)
   * before returning, instead of on the first requests that need them: a server answering
   * its first burst would otherwise start backends in the middle of it (the API).
   */
  warmUp?: boolean;
}

// Sized for two cores and several API processes on one server (max_connections 200 embedded):
// PostgreSQL does not go faster with more statements running than it has cores to run them, so
// a command waits for a connection in the pool (cheap) rather than on the server (context
// switches, lock queues). Each command takes one connection per statement, never two at once.
const EVENT_STORE_POOL_SIZE = 16;
// Per command: the claim and the stored answer (one statement each); plus the liveness session.
const IDEMPOTENCY_POOL_SIZE = 12;
// Five runners, the watchdog and the deliverer, each a statement or a batch transaction at a time.
const PROJECTIONS_POOL_SIZE = 6;
const READ_MODEL_POOL_SIZE = 10;
// The command pools keep the connections they opened: with the default idle timeout (10 s) and
// pg-pool's last-in-first-out reuse, the least used connections close under steady load and a
// burst pays for new ones (issue 12 counted 37 new connections in 20 s at 32 clients).
const KEEP_CONNECTIONS: pg.PoolConfig = { idleTimeoutMillis: 0 };
// Reports group and sort tens of thousands of rows per statement; PostgreSQL's default 4MB spills to disk.
const REPORT_WORK_MEM = '32MB';

function pool(url: string, max: number, applicationName: string, logger: JsonLogger, extra: pg.PoolConfig = {}): pg.Pool {
  const created = new pg.Pool({ connectionString: url, max, application_name: applicationName, ...extra });
  // An idle client that loses its server (restart, network) emits here; unhandled, it would crash the process.
  created.on('error', (error) =>
    logger.write('warn', 'an idle PostgreSQL connection failed; the pool replaces it', { error: error.message }),
  );
  return created;
}

/** Opens `count` connections of the pool at once and gives them back: the pool keeps them (KEEP_CONNECTIONS). */
async function openEvery(pool: pg.Pool, count: number): Promise<void> {
  const clients = await Promise.allSettled(Array.from({ length: count }, () => pool.connect()));
  for (const client of clients) if (client.status === 'fulfilled') client.value.release();
  const failed = clients.find((client) => client.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Opens the database (DATABASE_URL or the embedded server), runs both schemas' migrations, and
 * makes the pools, the TypeORM data source and the event store. The one place that chooses the
 * event-store adapter (EVENT_STORE).
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
    const eventStorePool = pool(database.url, EVENT_STORE_POOL_SIZE, `${applicationName}:event-store`, logger, KEEP_CONNECTIONS);
    opened.push(() => endPool(eventStorePool));
    const idempotencyPool = pool(database.url, IDEMPOTENCY_POOL_SIZE, `${applicationName}:idempotency`, logger, KEEP_CONNECTIONS);
    opened.push(() => endPool(idempotencyPool));
    const projectionsPool = pool(database.url, PROJECTIONS_POOL_SIZE, `${applicationName}:projections`, logger, KEEP_CONNECTIONS);
    opened.push(() => endPool(projectionsPool));
    const reports = options.reports ?? DEFAULT_REPORT_LIMITS;
    // Reports on their own pool: however many analysts ask at once, at most poolSize report
    // statements run, each for at most statementTimeoutMs, with the memory to sort; the
    // commands', health check's and projections' connections are not among them.
    const reportPool = pool(database.url, reports.poolSize, `${applicationName}:reports`, logger, {
      options: `-c statement_timeout=${reports.statementTimeoutMs} -c work_mem=${REPORT_WORK_MEM}`,
      // Waiting longer for a connection than a statement may run helps nobody: answer 503 instead.
      connectionTimeoutMillis: reports.statementTimeoutMs,
    });
    opened.push(() => endPool(reportPool));
    const dataSource = createReadModelDataSource({
      url: database.url,
      applicationName: `${applicationName}:read-model`,
      entities: options.entities,
      poolSize: READ_MODEL_POOL_SIZE,
      keepConnections: true,
    });
    await dataSource.initialize();
    opened.push(() => destroyDataSource(dataSource));
    if (options.warmUp) {
      await Promise.all([
        openEvery(eventStorePool, EVENT_STORE_POOL_SIZE),
        openEvery(idempotencyPool, IDEMPOTENCY_POOL_SIZE),
        // Queries at once take a connection each: TypeORM's pool has no other public handle.
        Promise.all(Array.from({ length: READ_MODEL_POOL_SIZE }, () => dataSource.query('SELECT 1'))),
      ]);
    }
    const report = await migrateDatabase(eventStorePool, dataSource);
    logger.info('database schema is up to date', { mode: database.mode, ...report });
    const eventStore = openEventStore(config.eventStore, eventStorePool, logger);
    opened.push(() => eventStore.close());
    if (config.eventStore.kind === 'eventstoredb') await refuseUncopiedHistory(eventStorePool, eventStore, logger);
    // EventStoreDB has no pool of ours to separate: the projections share its client.
    const projectionsEventStore = config.eventStore.kind === 'postgres' ? new PostgresEventStore(projectionsPool) : eventStore;
    if (projectionsEventStore !== eventStore) opened.push(() => projectionsEventStore.close());
    return {
      database,
      eventStorePool,
      idempotencyPool,
      projections: { pool: projectionsPool, eventStore: projectionsEventStore },
      reportPool,
      dataSource,
      eventStore,
      close: closeAll,
    };
  } catch (error) {
    try {
      await closeAll();
    } catch (closeError) {
      throw new AggregateError([error, closeError], 'opening the database failed, and so did closing what was opened', {
        cause: closeError,
      });
    }
    throw error;
  }
}

/**
 * The configured adapter. PostgreSQL's event_store schema is migrated either way: with EventStoreDB
 * it still holds what copy-events keeps (event_store.copies).
 */
export function openEventStore(config: EventStoreConfig, eventStorePool: pg.Pool, logger: JsonLogger): EventStore {
  if (config.kind === 'postgres') return new PostgresEventStore(eventStorePool);
  logger.info('events are stored in EventStoreDB', { eventStore: redactCredentials(config.connectionString) });
  return EventStoreDbEventStore.connect(config.connectionString, {
    log: (level, message, fields) => logger.write(level, message, fields),
  });
}

/** EVENT_STORE=eventstoredb while PostgreSQL's event store holds events EventStoreDB lacks. */
export class UncopiedHistoryError extends Error {
  readonly code = 'UNCOPIED_HISTORY';
  constructor(streamId: string, revision: number) {
    super(
      `EVENT_STORE=eventstoredb, but PostgreSQL's event store holds events that EventStoreDB does not (${streamId} at revision ` +
        `${revision}, its newest event): starting would split the ticket history in two. Copy them first with ` +
        '"npm run cli -- copy-events --to <EVENTSTORE_CONNECTION_STRING>" (README "Production: EventStoreDB"), ' +
        'or set EVENT_STORE=postgres.',
    );
    this.name = 'UncopiedHistoryError';
  }
}

/**
 * Switching to EventStoreDB before copy-events has copied the tail would start new tickets in
 * EventStoreDB while the history stays in PostgreSQL. The newest PostgreSQL event must be in
 * EventStoreDB with its id; one lookup each way, so it costs nothing at start-up. An EventStoreDB
 * that cannot be reached now is not a reason to refuse: the process starts degraded and says so.
 */
async function refuseUncopiedHistory(eventStorePool: pg.Pool, eventStore: EventStore, logger: JsonLogger): Promise<void> {
  const { rows } = await eventStorePool.query<{ stream_id: string; revision: string; event_id: string }>(
    `SELECT stream_id, revision, event_id FROM event_store.events ORDER BY transaction_id DESC, global_seq DESC LIMIT 1`,
  );
  const newest = rows.at(0);
  if (!newest) return;
  const revision = Number(newest.revision);
  let copied: Awaited<ReturnType<EventStore['readStream']>>;
  try {
    copied = await eventStore.readStream(newest.stream_id, { fromRevision: revision, maxCount: 1 });
  } catch (error) {
    if (!(error instanceof EventStoreUnavailableError)) throw error;
    logger.write('warn', 'EventStoreDB cannot be reached: whether PostgreSQL holds events it lacks was not checked', {
      error: error.message,
    });
    return;
  }
  if (copied.at(0)?.eventId !== newest.event_id) throw new UncopiedHistoryError(newest.stream_id, revision);
}
