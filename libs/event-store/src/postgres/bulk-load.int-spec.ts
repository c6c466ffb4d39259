import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type EventToAppend,
  type JsonObject,
  type RecordedEvent,
} from '../port/event-store.js';
import { bulkLoad, streamsWithEvents, type BulkAppend } from './bulk-load.js';
import { migrateEventStore } from './migrate.js';
import { comparePositions } from './position.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { seededRandom } from '#workload';

/*
 * Bulk-loaded events must be indistinguishable, through the port, from the same appends made
 * one by one: the same events in the same all-stream order, the same streams, and a store that
 * goes on appending, reading and deduplicating after the load as if the load had been appends.
 */

const STREAMS = 40;
const APPENDS = 700;
/** Small, so the load runs many batches and gathers one while writing the one before. */
const EVENTS_PER_BATCH = 97;
const PAGE = 50;

/** Payloads with what JSON storage could get wrong: unicode, nesting, floats, nulls, key order, empty values. */
function payload(random: () => number, index: number): JsonObject {
  const shapes: JsonObject[] = [
    { subject: 'Faturamda iki kez ücret kesilmiş — “iade” istiyorum', amount: 1234.5, currency: 'TRY' },
    { z: 1, a: [1, 'two', null, { nested: { deeper: [true, false] } }], m: {} },
    { quote: 'he said "hi" \\ and left', newline: 'line one\nline two', tab: '\t', emoji: '📞' },
    { big: 9007199254740991, negative: -0.000123, exponent: 1e21, empty: '', none: null },
  ];
  return { ...shapes[Math.floor(random() * shapes.length)], index };
}

function workload(seed: number): BulkAppend[] {
  const random = seededRandom(seed);
  const streamIds = Array.from({ length: STREAMS }, (_, index) => `bulk-${index}-${randomUUID()}`);
  const last = new Map<string, number>();
  return Array.from({ length: APPENDS }, (_, index) => {
    const streamId = streamIds[Math.floor(random() * STREAMS)];
    const count = 1 + Math.floor(random() * 4);
    const events: EventToAppend[] = Array.from({ length: count }, (_, position) => {
      const eventId = randomUUID();
      return {
        eventId,
        type: random() < 0.5 ? 'Noted' : 'Changed',
        data: payload(random, index * 10 + position),
        metadata: {
          eventId,
          commandId: `command-${index}`,
          occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
          schemaVersion: 1,
        },
      };
    });
    const before = last.get(streamId);
    last.set(streamId, (before ?? -1) + count);
    return { streamId, expectedRevision: before ?? 'no_stream', events };
  });
}

/** What the port says about an event, minus what only the moment of writing decides. */
function content(event: RecordedEvent): Omit<RecordedEvent, 'position' | 'recordedAt'> {
  const { position: _position, recordedAt: _recordedAt, ...rest } = event;
  return rest;
}

async function readEverything(store: PostgresEventStore, after?: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    events.push(...page.events);
    after = page.nextAfter;
    if (page.isEnd) return events;
  }
}

interface Side {
  database: TestDatabase;
  pool: pg.Pool;
  store: PostgresEventStore;
}

async function openSide(): Promise<Side> {
  const database = await createTestDatabase('es_bulk');
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await migrateEventStore(pool);
  return { database, pool, store: new PostgresEventStore(pool, { pageSize: PAGE, pollIntervalMs: 10 }) };
}

async function closeSide(side: Side | undefined): Promise<void> {
  if (!side) return;
  await side.store.close();
  await side.pool.end();
  await side.database.drop();
}

describe('bulk load into the PostgreSQL event store', () => {
  const appends = workload(20131);
  const totalEvents = appends.reduce((sum, append) => sum + append.events.length, 0);
  let appended: Side;
  let loaded: Side;
  let batches: number;
  let loadedLastPosition: string | undefined;
  let followed: RecordedEvent[];

  beforeAll(async () => {
    appended = await openSide();
    loaded = await openSide();
    for (const append of appends)
      await appended.store.append(append.streamId, append.events, { expectedRevision: append.expectedRevision });
    // A subscriber follows the load as it happens, as a projection would.
    const subscription = loaded.store.subscribe();
    followed = [];
    const following = (async () => {
      for await (const message of subscription) {
        if (message.kind === 'event') followed.push(message.event);
        if (followed.length >= totalEvents) return;
      }
    })();
    batches = 0;
    const summary = await bulkLoad(loaded.pool, appends, { eventsPerBatch: EVENTS_PER_BATCH, onBatch: () => (batches += 1) });
    loadedLastPosition = summary.lastPosition;
    await following;
    await subscription.close();
  });

  afterAll(async () => {
    await closeSide(appended);
    await closeSide(loaded);
  });

  it('stores every event, in batches, and says where the last one is', async () => {
    expect(batches).toBeGreaterThan(totalEvents / EVENTS_PER_BATCH - 1);
    expect(loadedLastPosition).toBe(await loaded.store.headPosition());
    const { rows } = await loaded.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_store.events');
    expect(rows[0].n).toBe(totalEvents);
  });

  it('leaves the events table analysed, so a rebuild right after plans its per-stream reads on the loaded rows', async () => {
    const stats = async (side: Side) =>
      (
        await side.pool.query<{ analysed: boolean }>(
          `SELECT last_analyze IS NOT NULL AS analysed FROM pg_stat_user_tables WHERE schemaname = 'event_store' AND relname = 'events'`,
        )
      ).rows[0];
    expect(await stats(loaded)).toEqual({ analysed: true });
    // The same rows appended one by one: nothing analysed them by hand (autoanalyze is last_autoanalyze).
    expect(await stats(appended)).toEqual({ analysed: false });
  });

  it('reads back through readAll exactly as the appends one by one, in strictly increasing positions', async () => {
    const fromAppends = await readEverything(appended.store);
    const fromLoad = await readEverything(loaded.store);
    expect(fromLoad.map(content)).toEqual(fromAppends.map(content));
    for (let index = 1; index < fromLoad.length; index++)
      expect(comparePositions(fromLoad[index - 1].position, fromLoad[index].position)).toBe(-1);
  });

  it('delivers the same events to a subscriber that followed the load live', async () => {
    expect(followed.map((event) => event.position)).toEqual((await readEverything(loaded.store)).map((event) => event.position));
  });

  it('reads back each stream through readStream as appended, with the positions readAll gives', async () => {
    const positions = new Map((await readEverything(loaded.store)).map((event) => [event.eventId, event.position]));
    for (const streamId of new Set(appends.map((append) => append.streamId))) {
      const fromLoad = await loaded.store.readStream(streamId);
      expect(fromLoad.map(content)).toEqual((await appended.store.readStream(streamId)).map(content));
      expect(fromLoad.map((event) => event.revision)).toEqual(fromLoad.map((_, index) => index));
      expect(fromLoad.map((event) => event.position)).toEqual(fromLoad.map((event) => positions.get(event.eventId)));
      const backwards = await loaded.store.readStream(streamId, { direction: 'backwards', maxCount: 2 });
      expect(backwards.map(content)).toEqual(fromLoad.slice(-2).reverse().map(content));
    }
  });

  it('goes on appending after the load: the next revision, a later position, conflicts and retries as for appended streams', async () => {
    const lastAppend = appends[appends.length - 1];
    const stream = await loaded.store.readStream(lastAppend.streamId);
    const lastRevision = stream[stream.length - 1].revision;
    const eventId = randomUUID();
    const next = await loaded.store.append(
      lastAppend.streamId,
      [{ eventId, type: 'Noted', data: { after: 'the load' }, metadata: { eventId } }],
      { expectedRevision: lastRevision },
    );
    expect(next.nextExpectedRevision).toBe(lastRevision + 1);
    expect(comparePositions(next.position, loadedLastPosition ?? '0:0')).toBe(1);
    expect((await loaded.store.readAll({ after: loadedLastPosition })).events.map((event) => event.eventId)).toEqual([eventId]);

    await expect(
      loaded.store.append(lastAppend.streamId, [{ eventId: randomUUID(), type: 'Noted', data: {}, metadata: {} }], {
        expectedRevision: lastRevision,
      }),
    ).rejects.toEqual(new WrongExpectedRevisionError(lastAppend.streamId, lastRevision, lastRevision + 1));
    // A retry of the last loaded append (a command sent again) is recognised by its event ids.
    const retry = await loaded.store.append(lastAppend.streamId, lastAppend.events, { expectedRevision: lastAppend.expectedRevision });
    expect(retry).toEqual({ nextExpectedRevision: lastRevision, position: loadedLastPosition, alreadyAppended: true });
  });

  it('lets another load continue the streams; refuses a wrong revision or a stored event id (port errors), writing none', async () => {
    const streamId = appends[0].streamId;
    const stream = await loaded.store.readStream(streamId);
    const last = stream[stream.length - 1].revision;
    const event = (): EventToAppend => {
      const eventId = randomUUID();
      return { eventId, type: 'Noted', data: { continued: true }, metadata: { eventId } };
    };
    const continued = await bulkLoad(loaded.pool, [
      { streamId, expectedRevision: last, events: [event(), event()] },
      { streamId, expectedRevision: last + 2, events: [event()] },
    ]);
    expect(continued.events).toBe(3);
    expect((await loaded.store.readStream(streamId)).map((recorded) => recorded.revision)).toEqual(
      Array.from({ length: last + 4 }, (_, index) => index),
    );

    const count = async (): Promise<number> =>
      (await loaded.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_store.events')).rows[0].n;
    const before = await count();
    const fresh = `bulk-new-${randomUUID()}`;
    await expect(bulkLoad(loaded.pool, [{ streamId, expectedRevision: last, events: [event()] }])).rejects.toEqual(
      new WrongExpectedRevisionError(streamId, last, last + 3),
    );
    await expect(
      bulkLoad(loaded.pool, [
        { streamId: fresh, expectedRevision: 'no_stream', events: [event()] },
        { streamId, expectedRevision: 'no_stream', events: [event()] },
      ]),
    ).rejects.toEqual(new WrongExpectedRevisionError(streamId, 'no_stream', last + 3));
    const stored = stream[0];
    await expect(
      bulkLoad(loaded.pool, [
        {
          streamId: fresh,
          expectedRevision: 'no_stream',
          events: [event(), { eventId: stored.eventId, type: 'Noted', data: {}, metadata: {} }],
        },
      ]),
    ).rejects.toEqual(new DuplicateEventIdError(fresh, stored.eventId));
    expect(await count()).toBe(before);
    expect(await loaded.store.readStream(fresh)).toEqual([]);
  });

  it('says which of many streams already hold events, in one round trip (an import reads back only those)', async () => {
    const [stored] = await loaded.store.readAll({ maxCount: 1 }).then((page) => page.events);
    const unknown = `bulk-unknown-${randomUUID()}`;
    expect(await streamsWithEvents(loaded.pool, [unknown, stored.streamId, stored.streamId])).toEqual(new Set([stored.streamId]));
    expect(await streamsWithEvents(loaded.pool, [])).toEqual(new Set());
  });
});
