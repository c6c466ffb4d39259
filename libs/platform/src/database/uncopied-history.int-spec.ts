import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { migrateEventStore, PostgresEventStore } from '#event-store/postgres/index.js';
import { EventStoreDbEventStore } from '#event-store/eventstoredb/index.js';
import { startDouble, type EventStoreDbDouble } from '#event-store/eventstoredb/testing/double/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ApiKeyRecord } from '../api-keys/api-key.record.js';
import { JsonLogger } from '../logging/json-logger.js';
import { openConnections, UncopiedHistoryError } from './connections.js';

describe('EVENT_STORE=eventstoredb over a PostgreSQL store that still holds the history', () => {
  let database: TestDatabase;
  let double: EventStoreDbDouble;
  const lines: string[] = [];
  const streamId = `ticket-${randomUUID()}`;
  const events = [0, 1].map((index) => ({ eventId: randomUUID(), type: 'TicketNoted', data: { index }, metadata: {} }));

  const open = () =>
    openConnections({
      config: {
        dataDir: '/nonexistent',
        databaseUrl: database.url,
        eventStore: { kind: 'eventstoredb', connectionString: double.connectionString },
      },
      logger: new JsonLogger('warn', (line) => lines.push(line)),
      applicationName: 'uncopied-history-spec',
      entities: [ApiKeyRecord],
    });

  beforeAll(async () => {
    database = await createTestDatabase('uncopied');
    double = await startDouble();
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      await migrateEventStore(pool);
      await new PostgresEventStore(pool).append(streamId, events, { expectedRevision: 'no_stream' });
    } finally {
      await pool.end();
    }
  });

  afterAll(async () => {
    await double.close();
    await database.drop();
  });

  it('refuses to start while the newest PostgreSQL event is not in EventStoreDB, naming the fix', async () => {
    const target = EventStoreDbEventStore.connect(double.connectionString);
    try {
      await expect(open()).rejects.toBeInstanceOf(UncopiedHistoryError);
      // Only the older event copied: the tail is still missing.
      await target.append(streamId, events.slice(0, 1), { expectedRevision: 'no_stream' });
      await expect(open()).rejects.toThrow(`${streamId} at revision 1, its newest event`);
      await expect(open()).rejects.toThrow('npm run cli -- copy-events');
      await target.append(streamId, events.slice(1), { expectedRevision: 0 });
      const connections = await open();
      await connections.close();
    } finally {
      await target.close();
    }
  });

  it('starts (degraded) when EventStoreDB cannot be reached, saying the check was not made', async () => {
    await double.stop();
    try {
      const connections = await open();
      await connections.close();
      expect(lines.some((line) => line.includes('whether PostgreSQL holds events it lacks was not checked'))).toBe(true);
    } finally {
      await double.start();
    }
  });
});
