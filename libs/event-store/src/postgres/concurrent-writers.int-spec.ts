import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import type { ExpectedRevision, RecordedEvent, SubscriptionMessage } from '../port/event-store.js';
import { migrateEventStore } from './migrate.js';
import { comparePositions, formatPosition } from './position.js';
import { PostgresEventStore } from './postgres-event-store.js';

/*
 * The proof DESIGN.md §4 asks for: a live subscriber never skips or repeats an event although
 * concurrent appends commit out of order.
 *
 * Eight writers append one event per call to streams of their own while one more transaction
 * takes its transaction id early and stays open until thousands of later appends have
 * committed. The subscriber must wait for it. The held transaction then appends exactly one
 * subscriber page worth of events in all, so the page right after its commit ends on its last
 * event, whose global_seq is larger than that of every append committed meanwhile: a reader
 * that pages by global_seq alone skips all of those, deterministically.
 */

const WRITERS = 8;
const TOTAL_EVENTS = 20_000;
const STREAMS_PER_WRITER = 25;
const PAGE_SIZE = 1000;
const HOLD_AFTER_COMMITTED = 2_000;
const COMMITTED_WHILE_HELD = 4_000;

interface StoredRow {
  transaction_id: string;
  global_seq: string;
  event_id: string;
  stream_id: string;
  revision: string;
}

describe('concurrent writers and a live subscriber (PostgreSQL)', () => {
  let database: TestDatabase;
  let writersPool: pg.Pool;
  let subscriberPool: pg.Pool;
  let held: pg.Client;
  let writerStore: PostgresEventStore;
  let subscriberStore: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('es_concurrency');
    writersPool = new pg.Pool({ connectionString: database.url, max: WRITERS });
    subscriberPool = new pg.Pool({ connectionString: database.url, max: 2 });
    held = new pg.Client({ connectionString: database.url });
    await held.connect();
    await migrateEventStore(writersPool);
    writerStore = new PostgresEventStore(writersPool);
    subscriberStore = new PostgresEventStore(subscriberPool, { pollIntervalMs: 20, pageSize: PAGE_SIZE });
  });

  afterAll(async () => {
    // Closes the subscription too when the test failed half-way, before its pool ends.
    await subscriberStore.close();
    await held.end();
    await writersPool.end();
    await subscriberPool.end();
    await database.drop();
  });

  it('delivers every stored event exactly once, in order, although a transaction commits late', async () => {
    const delivered: RecordedEvent[] = [];
    const subscription = subscriberStore.subscribe();
    const consuming = (async (): Promise<SubscriptionMessage[]> => {
      const others: SubscriptionMessage[] = [];
      for await (const message of subscription) {
        if (message.kind === 'event') delivered.push(message.event);
        else others.push(message);
      }
      return others;
    })();

    let committed = 0;
    const writers = Array.from({ length: WRITERS }, (_, writer) =>
      (async () => {
        const revisions = new Map<string, ExpectedRevision>();
        for (let index = 0; index < TOTAL_EVENTS / WRITERS; index += 1) {
          const streamId = `writer-${writer}-stream-${index % STREAMS_PER_WRITER}`;
          const eventId = randomUUID();
          const result = await writerStore.append(streamId, [{ eventId, type: 'Noted', data: { writer, index }, metadata: { eventId } }], {
            expectedRevision: revisions.get(streamId) ?? 'no_stream',
          });
          revisions.set(streamId, result.nextExpectedRevision);
          committed += 1;
        }
      })(),
    );
    const writing = Promise.all(writers);

    await until(() => committed >= HOLD_AFTER_COMMITTED, 'writers to commit the events before the hold');
    const heldStream = `held-${randomUUID()}`;
    const heldEventIds = Array.from({ length: PAGE_SIZE }, () => randomUUID());
    await held.query('BEGIN');
    const heldEvents = heldEventIds.map((eventId) => ({ eventId, type: 'Held', data: {}, metadata: { eventId } }));
    const first = await held.query<{ transaction_id: string; global_seq: string }>(
      `SELECT transaction_id, global_seq FROM event_store.append_events($1, 'no_stream', $2::jsonb)`,
      [heldStream, JSON.stringify(heldEvents.slice(0, 1))],
    );
    const heldPosition = formatPosition(first.rows[0].transaction_id, first.rows[0].global_seq);
    const heldTransactionId = first.rows[0].transaction_id;
    const committedAtHold = committed;

    await until(() => committed >= committedAtHold + COMMITTED_WHILE_HELD, 'writers to commit while the transaction is held');
    // Everything below the held transaction id has ended by now; let the subscriber drain it.
    await until(async () => {
      const { rows } = await writersPool.query<{ count: string }>(
        'SELECT count(*) FROM event_store.events WHERE transaction_id < $1::xid8',
        [heldTransactionId],
      );
      return delivered.length >= Number(rows[0].count);
    }, 'the subscriber to deliver everything before the held transaction');
    await sleep(100);
    const deliveredWhileHeld = delivered.length;
    expect({
      deliveredPastTheHeldTransaction: delivered.filter((event) => comparePositions(event.position, heldPosition) >= 0).length,
    }).toEqual({
      deliveredPastTheHeldTransaction: 0,
    });
    expect(committed - committedAtHold).toBeGreaterThanOrEqual(COMMITTED_WHILE_HELD);

    await held.query(`SELECT FROM event_store.append_events($1, '0', $2::jsonb)`, [heldStream, JSON.stringify(heldEvents.slice(1))]);
    await held.query('COMMIT');

    await writing;
    const stored = (
      await writersPool.query<StoredRow>(
        'SELECT transaction_id, global_seq, event_id, stream_id, revision FROM event_store.events ORDER BY transaction_id, global_seq',
      )
    ).rows;
    expect(stored).toHaveLength(TOTAL_EVENTS + PAGE_SIZE);
    const last = stored[stored.length - 1];
    const lastPosition = formatPosition(last.transaction_id, last.global_seq);
    await until(() => delivered.at(-1)?.position === lastPosition, 'the subscriber to reach the last stored event', 60_000);
    // Anything delivered twice would arrive now; give it a few polls.
    await sleep(200);
    await subscription.close();
    const others = await consuming;
    expect(others.map((message) => message.kind)).toEqual(['caughtUp']);
    expect(deliveredWhileHeld).toBeLessThan(stored.length);

    const storedPositions = stored.map((row) => formatPosition(row.transaction_id, row.global_seq));

    const deliveredIds = new Set(delivered.map((event) => event.eventId));
    expect({
      missing: stored.filter((row) => !deliveredIds.has(row.event_id)).length,
      repeated: delivered.length - deliveredIds.size,
    }).toEqual({ missing: 0, repeated: 0 });
    expect(delivered.map((event) => event.position)).toEqual(storedPositions);
    expectStrictlyIncreasing(delivered.map((event) => event.position));
    expect(delivered.filter((event) => event.streamId === heldStream).map((event) => event.eventId)).toEqual(heldEventIds);

    const nextRevision = new Map<string, number>();
    const outOfOrder: string[] = [];
    for (const event of delivered) {
      const expected = nextRevision.get(event.streamId) ?? 0;
      if (event.revision !== expected) outOfOrder.push(`${event.streamId}: ${event.revision} where ${expected} was due`);
      nextRevision.set(event.streamId, event.revision + 1);
    }
    expect(outOfOrder).toEqual([]);
    expect(nextRevision.size).toBe(WRITERS * STREAMS_PER_WRITER + 1);

    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await subscriberStore.readAll({ after, maxCount: PAGE_SIZE });
      paged.push(...page.events.map((event) => event.position));
      after = page.nextAfter;
      if (page.isEnd) break;
    }
    expect(paged).toEqual(storedPositions);
    expect(new Set(paged).size).toBe(paged.length);
  });
});

function expectStrictlyIncreasing(positions: string[]): void {
  const notIncreasing = positions.filter((position, index) => index > 0 && comparePositions(positions[index - 1], position) >= 0);
  expect(notIncreasing).toEqual([]);
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
