import { ApiKeyRecord } from '../../api/src/access/api-keys/api-key.record.js';
import { ConfigError, isLogThreshold, loadDatabaseConfig } from '../../api/src/config/app-config.js';
import { openConnections, type Connections } from '../../api/src/platform/database/connections.js';
import { errorFields, JsonLogger } from '../../api/src/platform/logging/json-logger.js';

const PING_INTERVAL_MS = 30_000;

/**
 * The projector process (DESIGN.md §5, §7): projection runner and SLA watchdog, apart from the
 * API so either can be scaled or restarted alone. No projection is registered yet (they come
 * with the projections issue), so for now it joins the database, keeps its schema current,
 * and reports when the event store stops answering.
 */
async function main(): Promise<void> {
  const level = (process.env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!isLogThreshold(level)) throw new ConfigError([`LOG_LEVEL must be a log level such as info, got "${level}"`]);
  const logger = new JsonLogger(level);
  const connections: Connections = await openConnections({
    config: loadDatabaseConfig(process.env),
    logger,
    applicationName: 'bildirim-projector',
    entities: [ApiKeyRecord],
    // Without DATABASE_URL it joins the embedded server of the API running on the same DATA_DIR.
    mode: 'attach',
  });
  logger.info('projector started', { database: connections.database.mode, projections: [] });

  const ping = setInterval(() => {
    connections.eventStore.ping().catch((error: unknown) => {
      logger.write('error', 'the event store does not answer', error instanceof Error ? errorFields(error) : { error: String(error) });
    });
  }, PING_INTERVAL_MS);

  const stop = (signal: NodeJS.Signals): void => {
    clearInterval(ping);
    logger.info('projector stopping', { signal });
    connections.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.write('error', 'closing the database connections failed', error instanceof Error ? errorFields(error) : { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const reason = error instanceof ConfigError ? error.message : `the projector could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`bildirim: ${reason}\n`);
  process.exit(1);
});
