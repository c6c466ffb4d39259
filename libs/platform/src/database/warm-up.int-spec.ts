import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ApiKeyRecord } from '../api-keys/api-key.record.js';
import { JsonLogger } from '../logging/json-logger.js';
import { openConnections } from './connections.js';

/*
 * The API opens its command path's connections before it answers (issue 12: backends started
 * in the middle of the first burst, and the read model's pool closed idle connections and
 * opened them again under load). Counted in pg_stat_activity by each pool's application name.
 */
describe('openConnections with warmUp', () => {
  let database: TestDatabase;
  let observer: pg.Pool;

  const open = (applicationName: string, warmUp: boolean) =>
    openConnections({
      config: { dataDir: '/nonexistent', databaseUrl: database.url, eventStore: { kind: 'postgres' } },
      logger: new JsonLogger('warn', () => undefined),
      applicationName,
      entities: [ApiKeyRecord],
      warmUp,
    });

  const connectionsOf = async (applicationName: string): Promise<Record<string, number>> => {
    const { rows } = await observer.query<{ name: string; n: number }>(
      `SELECT application_name AS name, count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE $1 || ':%' GROUP BY 1`,
      [applicationName],
    );
    return Object.fromEntries(rows.map((row) => [row.name.slice(applicationName.length + 1), row.n]));
  };

  beforeAll(async () => {
    database = await createTestDatabase('warmup');
    observer = new pg.Pool({ connectionString: database.url, max: 1 });
  });

  afterAll(async () => {
    await observer.end();
    await database.drop();
  });

  it('opens every connection of the event store, idempotency and read model pools, and none of the lazy ones', async () => {
    const connections = await open('warm-spec', true);
    try {
      expect(await connectionsOf('warm-spec')).toEqual({ 'event-store': 16, idempotency: 12, 'read-model': 10 });
      // Warm connections are used, not replaced: a burst as large as the pools opens nothing new.
      await Promise.all([
        ...Array.from({ length: 16 }, () => connections.eventStorePool.query('SELECT pg_sleep(0.05)')),
        ...Array.from({ length: 12 }, () => connections.idempotencyPool.query('SELECT pg_sleep(0.05)')),
        ...Array.from({ length: 10 }, () => connections.dataSource.query('SELECT pg_sleep(0.05)')),
      ]);
      expect(await connectionsOf('warm-spec')).toEqual({ 'event-store': 16, idempotency: 12, 'read-model': 10 });
    } finally {
      await connections.close();
    }
  });

  it('opens them on demand without it (the CLI, the projector)', async () => {
    const connections = await open('cold-spec', false);
    try {
      const opened = await connectionsOf('cold-spec');
      expect(opened.idempotency ?? 0).toBe(0);
      expect(opened['event-store'] ?? 0).toBeLessThan(16);
    } finally {
      await connections.close();
    }
  });
});
