import { ApiKeyRecord, loadDatabaseConfig, openConnections, type Connections, isLogThreshold, JsonLogger } from '#platform';

/**
 * The CLI's database session: migrated on open (so `keys create` works on a fresh DATA_DIR),
 * closed when the command is done. Its log lines go to stderr, so stdout stays the answer.
 */
export async function withDatabase<T>(work: (connections: Connections) => Promise<T>): Promise<T> {
  const level = process.env.LOG_LEVEL?.toLowerCase() ?? 'warn';
  const logger = new JsonLogger(isLogThreshold(level) ? level : 'warn', (line) => process.stderr.write(line));
  const connections = await openConnections({
    config: loadDatabaseConfig(process.env),
    logger,
    applicationName: 'bildirim-cli',
    entities: [ApiKeyRecord],
    mode: 'attach',
  });
  try {
    return await work(connections);
  } finally {
    await connections.close();
  }
}
