import {
  ApiKeyRecord,
  ConfigError,
  isLogThreshold,
  loadDatabaseConfig,
  type Env,
  openConnections,
  errorFields,
  JsonLogger,
  loadAutomationConfig,
  type AutomationConfig,
  ReferenceStore,
  systemClock,
  webhookRetry,
  type Clock,
} from '#platform';
import { ProjectionDaemon, type DaemonOptions, type Projection } from '#read-model/projections/index.js';
import type { ReferenceModeSetting } from '#ticketing';
import { Deliverer, Watchdog } from '#automation';

const PING_INTERVAL_MS = 30_000;

export interface ProjectorOptions {
  env?: Env;
  runner?: DaemonOptions['runner'];
  /** the watchdog's REFERENCE_MODE; default the environment's, as the API reads it */
  referenceMode?: ReferenceModeSetting;
  /** the watchdog's and the deliverer's clock (specs inject one) */
  clock?: Clock;
}

export interface Projector {
  daemon: ProjectionDaemon;
  /** The SLA watchdog; undefined with WATCHDOG=off or without the deadlines projection it reads. */
  watchdog: Watchdog | undefined;
  /** The webhook deliverer; undefined without the notifications projection it sends. */
  deliverer: Deliverer | undefined;
  /** Finishes every batch in flight, frees the locks, closes the connections. */
  stop(): Promise<void>;
}

function positiveInteger(env: Env, name: string, problems: string[]): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) problems.push(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/**
 * The projector process (DESIGN.md §5): runs every registered projection, apart from the API
 * so either can be scaled or restarted alone. Several projectors (and APIs with
 * PROJECTIONS=inline) may run at once: one runner per projection version is active, the
 * others stand by and take over when it stops. SIGTERM or SIGINT: the batches in flight
 * finish, the locks are freed, then the process exits.
 */
export async function runProjector(registry: readonly Projection[], options: ProjectorOptions = {}): Promise<Projector> {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const level = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!isLogThreshold(level)) problems.push(`LOG_LEVEL must be a log level such as info, got "${level}"`);
  const batchSize = positiveInteger(env, 'PROJECTIONS_BATCH_SIZE', problems);
  // Smaller bulk batches hold live readers back for less time while a version catches up (README of the engine).
  const bulkBatchSize = positiveInteger(env, 'PROJECTIONS_BULK_BATCH_SIZE', problems);
  // Events per chunk of a per-stream rebuild it continues (one transaction each): the memory bound of that phase.
  const perStreamChunkEvents = positiveInteger(env, 'PROJECTIONS_PER_STREAM_CHUNK_EVENTS', problems);
  let automation: AutomationConfig | undefined;
  try {
    automation = loadAutomationConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || automation === undefined) throw new ConfigError(problems);
  const logger = new JsonLogger(isLogThreshold(level) ? level : 'info');
  const connections = await openConnections({
    config: loadDatabaseConfig(env),
    logger,
    applicationName: 'bildirim-projector',
    entities: [ApiKeyRecord],
    // Without DATABASE_URL it joins the embedded server of the API running on the same DATA_DIR.
    mode: 'attach',
  });
  const daemon = new ProjectionDaemon({ pool: connections.eventStorePool, store: connections.eventStore }, registry, {
    runner: {
      ...(batchSize === undefined ? {} : { batchSize }),
      ...(bulkBatchSize === undefined ? {} : { bulkBatchSize }),
      ...(perStreamChunkEvents === undefined ? {} : { perStreamChunkEvents }),
      ...options.runner,
    },
    log: (logLevel, msg, fields) => logger.write(logLevel, msg, fields),
  });
  try {
    await daemon.start();
  } catch (error) {
    await connections.close();
    throw error;
  }
  // The watchdog scans the deadlines projection's view: a registry without it (specs) has nothing to scan.
  const watchdog =
    automation.watchdog.enabled && registry.some((projection) => projection.name === 'deadlines')
      ? new Watchdog({
          pool: connections.eventStorePool,
          store: connections.eventStore,
          reference: new ReferenceStore(connections.eventStore, connections.eventStorePool),
          referenceMode: options.referenceMode ?? automation.referenceMode,
          clock: options.clock ?? systemClock,
          intervalMs: automation.watchdog.intervalMs,
          backfillQuietMs: automation.watchdog.backfillQuietMs,
          log: (logLevel, msg, fields) => logger.write(logLevel, msg, fields),
        })
      : undefined;
  watchdog?.start();
  const deliverer = registry.some((projection) => projection.name === 'notifications')
    ? new Deliverer({
        pool: connections.eventStorePool,
        clock: options.clock ?? systemClock,
        retry: webhookRetry(automation.webhooks),
        timeoutMs: automation.webhooks.timeoutMs,
        log: (logLevel, msg, fields) => logger.write(logLevel, msg, fields),
      })
    : undefined;
  deliverer?.start();
  logger.info('projector started', {
    database: connections.database.mode,
    projections: registry.map((projection) => `${projection.name}@${projection.version}`),
    watchdog: watchdog ? { intervalMs: automation.watchdog.intervalMs } : 'off',
    deliverer: deliverer ? automation.webhooks : 'off',
  });

  const ping = setInterval(() => {
    connections.eventStore.ping().catch((error: unknown) => {
      logger.write('error', 'the event store does not answer', error instanceof Error ? errorFields(error) : { error: String(error) });
    });
  }, PING_INTERVAL_MS);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(ping);
      await deliverer?.stop();
      await watchdog?.stop();
      await daemon.stop();
      await connections.close();
    })();
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info('projector stopping: finishing the batches in flight', { signal });
    stop().then(
      () => {
        logger.info('projector stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.write('error', 'the projector did not stop cleanly', error instanceof Error ? errorFields(error) : { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { daemon, watchdog, deliverer, stop };
}
