import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { describeEventStoreConformance } from '../conformance/event-store-conformance.js';
import { migrateEventStore } from './migrate.js';
import { PostgresEventStore } from './postgres-event-store.js';

describeEventStoreConformance(
  'PostgresEventStore',
  async () => {
    const database = await createTestDatabase('es');
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    await migrateEventStore(pool);
    const store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
    return {
      store,
      dispose: async () => {
        await store.close();
        await pool.end();
        await database.drop();
      },
    };
  },
  { perStreamReads: true },
);

describe('PostgresEventStore specifics', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('es');
    pool = new pg.Pool({ connectionString: database.url, max: 6 });
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('migrates once, also when two processes migrate at the same time', async () => {
    const outcomes = await Promise.all([migrateEventStore(pool), migrateEventStore(pool), migrateEventStore(pool)]);
    expect(outcomes.map((outcome) => outcome.applied).sort((a, b) => b.length - a.length)).toEqual([[1, 2], [], []]);
    expect(await migrateEventStore(pool)).toEqual({ applied: [], version: 2 });
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM event_store.schema_versions ORDER BY version');
    expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('documents every table and column', async () => {
    await migrateEventStore(pool);
    const { rows } = await pool.query<{ name: string; described: boolean }>(`
      SELECT c.relname AS name, obj_description(c.oid, 'pg_class') IS NOT NULL AS described
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'event_store' AND c.relkind = 'r'
      UNION ALL
      SELECT c.relname || '.' || a.attname, col_description(c.oid, a.attnum) IS NOT NULL
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE n.nspname = 'event_store' AND c.relkind = 'r'`);
    expect(rows.map((row) => row.name)).toEqual(
      expect.arrayContaining(['events', 'schema_versions', 'events.transaction_id', 'events.data', 'copies', 'copies.position']),
    );
    expect(rows.filter((row) => !row.described).map((row) => row.name)).toEqual([]);
  });

  it('an empty store has no head, and readAll covers nothing', async () => {
    await migrateEventStore(pool);
    const store = new PostgresEventStore(pool);
    expect(await store.headPosition()).toBeUndefined();
    expect(await store.readAll()).toEqual({ events: [], nextAfter: undefined, isEnd: true });
  });

  it('positions are "<transaction id>:<sequence>" and compare as numbers, not text', async () => {
    await migrateEventStore(pool);
    const store = new PostgresEventStore(pool);
    const result = await store.append(`specifics-${randomUUID()}`, [{ eventId: randomUUID(), type: 'Opened', data: {}, metadata: {} }], {
      expectedRevision: 'no_stream',
    });
    expect(result.position).toMatch(/^\d+:\d+$/);
    expect(store.comparePositions('9:1', '10:0')).toBeLessThan(0);
    expect(store.comparePositions('10:2', '10:10')).toBeLessThan(0);
    expect(store.comparePositions('18446744073709551615:9223372036854775807', '18446744073709551615:9223372036854775806')).toBeGreaterThan(
      0,
    );
    expect(() => store.comparePositions('10', '10:1')).toThrow(RangeError);
    await expect(store.readAll({ after: 'not-a-position' })).rejects.toThrow(RangeError);
  });

  it('an append with no events is refused', async () => {
    await migrateEventStore(pool);
    const store = new PostgresEventStore(pool);
    await expect(store.append(`specifics-${randomUUID()}`, [], { expectedRevision: 'any' })).rejects.toThrow(RangeError);
  });

  it('concurrent appends of one event id to two streams store it once', async () => {
    await migrateEventStore(pool);
    const store = new PostgresEventStore(pool);
    const event = { eventId: randomUUID(), type: 'Opened', data: {}, metadata: {} };
    const outcomes = await Promise.allSettled([
      store.append(`race-a-${randomUUID()}`, [event], { expectedRevision: 'no_stream' }),
      store.append(`race-b-${randomUUID()}`, [event], { expectedRevision: 'no_stream' }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : undefined).toMatchObject({
      code: 'DUPLICATE_EVENT_ID',
      eventId: event.eventId,
    });
  });

  it('names the stored event id when only a later event of the append is a duplicate', async () => {
    await migrateEventStore(pool);
    const store = new PostgresEventStore(pool);
    const stored = { eventId: randomUUID(), type: 'Opened', data: {}, metadata: {} };
    await store.append(`dup-a-${randomUUID()}`, [stored], { expectedRevision: 'no_stream' });
    const otherStream = `dup-b-${randomUUID()}`;
    const append = store.append(otherStream, [{ eventId: randomUUID(), type: 'Opened', data: {}, metadata: {} }, stored], {
      expectedRevision: 'any',
    });
    await expect(append).rejects.toMatchObject({ code: 'DUPLICATE_EVENT_ID', streamId: otherStream, eventId: stored.eventId });
    expect(await store.readStream(otherStream)).toEqual([]);
  });

  it('concurrent appends to one stream with the same expected revision: exactly one wins', async () => {
    await migrateEventStore(pool);
    const store = new PostgresEventStore(pool);
    const streamId = `claim-${randomUUID()}`;
    await store.append(streamId, [{ eventId: randomUUID(), type: 'Opened', data: {}, metadata: {} }], { expectedRevision: 'no_stream' });
    const outcomes = await Promise.allSettled(
      [1, 2, 3, 4].map(() =>
        store.append(streamId, [{ eventId: randomUUID(), type: 'Claimed', data: {}, metadata: {} }], { expectedRevision: 0 }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', actual: 1 });
    }
  });
});
