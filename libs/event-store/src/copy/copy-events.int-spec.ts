import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { seededRandom } from '#workload/ticket-load.js';
import { uuidV5 } from '../ids/uuid-v5.js';
import type { EventStore, JsonObject } from '../port/event-store.js';
import { bulkLoad, type BulkAppend } from '../postgres/bulk-load.js';
import { PostgresCopyCheckpoints } from '../postgres/copy-checkpoints.js';
import { migrateEventStore } from '../postgres/migrate.js';
import { PostgresEventStore } from '../postgres/postgres-event-store.js';
import type { CopyCheckpoints } from './copy-checkpoints.js';
import { CopyConflictError } from './copy-errors.js';
import { copyEvents } from './copy-events.js';
import { compareStores } from './stream-digests.js';

const SEED = Number(process.env.COPY_SEED ?? 20261209);
const NAMESPACE = '0f4f1c52-3c1e-4d8e-9a61-2b7f6c1d9e07';
const TICKETS = 300;
const PREFIXES = ['ticket-'];

interface Store {
  database: TestDatabase;
  pool: pg.Pool;
  store: PostgresEventStore;
}

async function openStore(prefix: string): Promise<Store> {
  const database = await createTestDatabase(prefix);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await migrateEventStore(pool);
  return { database, pool, store: new PostgresEventStore(pool) };
}

async function closeStore({ database, pool, store }: Store): Promise<void> {
  await store.close();
  await pool.end();
  await database.drop();
}

/**
 * Commands of 1–3 events on 300 tickets in a seeded random order (so a stream's events are
 * mostly apart in the all-stream, sometimes side by side), with payloads whose keys come in
 * varying order, and a few streams of another kind that the copy must leave out.
 */
function* seededAppends(random: () => number): Generator<BulkAppend> {
  const next = new Map<string, number>();
  let events = 0;
  while (events < 3000) {
    const other = random() < 0.02;
    const streamId = other ? `other-${Math.floor(random() * 5)}` : `ticket-${uuidV5(String(Math.floor(random() * TICKETS)), NAMESPACE)}`;
    const revision = next.get(streamId) ?? 0;
    const count = 1 + Math.floor(random() * 3);
    const batch = Array.from({ length: count }, (_, index) => {
      const n = events + index;
      const data: JsonObject =
        random() < 0.5
          ? { n, note: `é ${n}`, nested: { b: [1, 2.5, null], a: true } }
          : { nested: { a: true, b: [1, 2.5, null] }, note: `é ${n}`, n };
      return {
        eventId: uuidV5(`event-${n}`, NAMESPACE),
        type: random() < 0.5 ? 'TicketOpened' : 'TicketClaimed',
        data,
        metadata: { seed: SEED, n },
      };
    });
    yield { streamId, expectedRevision: revision === 0 ? 'no_stream' : revision - 1, events: batch };
    next.set(streamId, revision + count);
    events += count;
  }
}

async function ticketEventCount(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_store.events WHERE stream_id LIKE 'ticket-%'`);
  return rows[0].n;
}

/** Each stream's events in both stores, field by field (independent of the digests). */
async function streamsOf(store: EventStore, pool: pg.Pool): Promise<Map<string, unknown[]>> {
  const { rows } = await pool.query<{ stream_id: string }>(
    `SELECT DISTINCT stream_id FROM event_store.events WHERE stream_id LIKE 'ticket-%' ORDER BY 1`,
  );
  const streams = new Map<string, unknown[]>();
  for (const { stream_id } of rows) {
    const events = await store.readStream(stream_id);
    streams.set(
      stream_id,
      events.map(({ revision, eventId, type, data, metadata }) => ({ revision, eventId, type, data, metadata })),
    );
  }
  return streams;
}

describe('copyEvents: a PostgreSQL store onto another PostgreSQL database', () => {
  let source: Store;
  let target: Store;
  let checkpoints: PostgresCopyCheckpoints;
  let total: number;

  beforeAll(async () => {
    process.stdout.write(`copy-events.int-spec: seed ${SEED} (COPY_SEED=${SEED} repeats it)\n`);
    [source, target] = await Promise.all([openStore('copy_source'), openStore('copy_target')]);
    await bulkLoad(source.pool, seededAppends(seededRandom(SEED)), { eventsPerBatch: 400 });
    total = await ticketEventCount(source.pool);
    checkpoints = new PostgresCopyCheckpoints(source.pool, 'postgres://127.0.0.1/copy_target');
  });

  afterAll(async () => {
    await Promise.all([source, target].filter((store) => store !== undefined).map(closeStore));
  });

  it('stops on the signal and after a crash between an append and its checkpoint, then resumes to the same events', async () => {
    expect(total).toBeGreaterThan(2800);
    const abort = new AbortController();
    let batches = 0;
    const stopped = await copyEvents({
      source: source.store,
      target: target.store,
      checkpoints,
      streamPrefixes: PREFIXES,
      batchSize: 250,
      signal: abort.signal,
      onProgress: () => {
        if (++batches === 3) abort.abort();
      },
    });
    expect(stopped).toMatchObject({ stopped: true, eventsSkipped: 0, resumedFrom: undefined });
    expect(stopped.eventsCopied).toBe(stopped.eventsDone);
    expect(await ticketEventCount(target.pool)).toBe(stopped.eventsDone);
    expect(await checkpoints.load()).toMatchObject({ position: stopped.position, eventsCopied: stopped.eventsDone });

    // The process dies after the target took the second batch of this run and before its checkpoint was stored.
    let saves = 0;
    const crashing: CopyCheckpoints = {
      load: () => checkpoints.load(),
      save: async (position, eventsCopied) => {
        if (++saves === 2) throw new Error('crash between append and checkpoint');
        await checkpoints.save(position, eventsCopied);
      },
    };
    await expect(
      copyEvents({ source: source.store, target: target.store, checkpoints: crashing, streamPrefixes: PREFIXES, batchSize: 250 }),
    ).rejects.toThrow('crash between append and checkpoint');
    const saved = await checkpoints.load();
    const inTarget = await ticketEventCount(target.pool);
    const uncheckpointed = inTarget - (saved?.eventsCopied ?? 0);
    expect(uncheckpointed).toBeGreaterThan(0);

    const resumed = await copyEvents({
      source: source.store,
      target: target.store,
      checkpoints,
      streamPrefixes: PREFIXES,
      batchSize: 250,
    });
    expect(resumed).toMatchObject({ stopped: false, resumedFrom: saved?.position, eventsBefore: saved?.eventsCopied, eventsDone: total });
    expect(resumed.eventsSkipped).toBe(uncheckpointed);
    expect(resumed.eventsBefore + resumed.eventsCopied + resumed.eventsSkipped).toBe(total);
    expect(await ticketEventCount(target.pool)).toBe(total);

    const sourceStreams = await streamsOf(source.store, source.pool);
    expect(await streamsOf(target.store, target.pool)).toEqual(sourceStreams);
    const { rows } = await target.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_store.events WHERE stream_id NOT LIKE 'ticket-%'`,
    );
    expect(rows[0].n).toBe(0);
    const comparison = await compareStores({ source: source.store, target: target.store, streamPrefixes: PREFIXES, pageSize: 500 });
    expect(comparison).toMatchObject({ identical: true, sourceEvents: total, targetEvents: total, missing: [], extra: [], different: [] });
    expect(comparison.sourceStreams).toBe(sourceStreams.size);
    expect(sourceStreams.size).toBeGreaterThan(TICKETS * 0.9);
  });

  it('copies nothing the second time, and only what the source took since the time after', async () => {
    const again = await copyEvents({ source: source.store, target: target.store, checkpoints, streamPrefixes: PREFIXES });
    expect(again).toMatchObject({ eventsCopied: 0, eventsSkipped: 0, eventsDone: total, stopped: false });

    const [one, two] = (await streamsOf(source.store, source.pool)).keys();
    const last = (await source.store.readStream(one, { direction: 'backwards', maxCount: 1 }))[0];
    const event = (n: number) => ({ eventId: uuidV5(`later-${n}`, NAMESPACE), type: 'TicketClosed', data: { n }, metadata: { n } });
    await source.store.append(one, [event(1), event(2)], { expectedRevision: last.revision });
    await source.store.append(`ticket-${uuidV5('new', NAMESPACE)}`, [event(3)], { expectedRevision: 'no_stream' });
    await source.store.append(two, [event(4)], { expectedRevision: 'stream_exists' });
    const later = await copyEvents({ source: source.store, target: target.store, checkpoints, streamPrefixes: PREFIXES });
    expect(later).toMatchObject({ eventsCopied: 4, eventsSkipped: 0, eventsDone: total + 4, streams: 3 });
    expect(await streamsOf(target.store, target.pool)).toEqual(await streamsOf(source.store, source.pool));
    total += 4;
  });

  it('from the beginning onto a full target finds every event there and writes nothing', async () => {
    await checkpoints.forget();
    const before = await target.pool.query<{ max: string }>('SELECT max(global_seq)::text AS max FROM event_store.events');
    const rerun = await copyEvents({ source: source.store, target: target.store, checkpoints, streamPrefixes: PREFIXES, batchSize: 700 });
    expect(rerun).toMatchObject({ eventsCopied: 0, eventsSkipped: total, eventsDone: total, stopped: false });
    const after = await target.pool.query<{ max: string }>('SELECT max(global_seq)::text AS max FROM event_store.events');
    expect(after.rows).toEqual(before.rows);
  });

  it('stops with the stream, revision and both ids when the target holds another event at a revision', async () => {
    const other = await openStore('copy_other');
    try {
      const streams = [...(await streamsOf(source.store, source.pool)).keys()];
      const victim = streams[17];
      const [sourceFirst] = await source.store.readStream(victim, { maxCount: 1 });
      const foreignId = uuidV5('foreign', NAMESPACE);
      await other.store.append(victim, [{ eventId: foreignId, type: 'TicketOpened', data: {}, metadata: {} }], {
        expectedRevision: 'no_stream',
      });
      const failure = await copyEvents({
        source: source.store,
        target: other.store,
        checkpoints: new PostgresCopyCheckpoints(source.pool, 'postgres://127.0.0.1/copy_other'),
        streamPrefixes: PREFIXES,
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(CopyConflictError);
      expect(failure).toMatchObject({
        code: 'COPY_EVENT_MISMATCH',
        streamId: victim,
        revision: 0,
        sourceEventId: sourceFirst.eventId,
        targetEventId: foreignId,
      });
      expect((failure as Error).message).toContain(`stream ${victim}, revision 0`);
      expect((await other.store.readStream(victim)).map((event) => event.eventId)).toEqual([foreignId]);
    } finally {
      await closeStore(other);
    }
  });

  it('the check reports streams missing from the target, extra in it, and holding other events', async () => {
    const streams = [...(await streamsOf(source.store, source.pool)).keys()];
    await target.pool.query(`UPDATE event_store.events SET data = data || '{"n": -1}' WHERE stream_id = $1 AND revision = 1`, [streams[3]]);
    await target.pool.query(`DELETE FROM event_store.events WHERE stream_id = $1`, [streams[5]]);
    const extra = `ticket-${uuidV5('extra', NAMESPACE)}`;
    await target.store.append(extra, [{ eventId: uuidV5('extra-event', NAMESPACE), type: 'TicketOpened', data: {}, metadata: {} }], {
      expectedRevision: 'no_stream',
    });
    const comparison = await compareStores({ source: source.store, target: target.store, streamPrefixes: PREFIXES });
    expect(comparison).toMatchObject({ identical: false, missing: [streams[5]], extra: [extra] });
    expect(comparison.different.map((difference) => difference.streamId)).toEqual([streams[3]]);
    const [changed] = comparison.different;
    expect(changed.source.events).toBe(changed.target.events);
    expect(changed.source.sha256).not.toBe(changed.target.sha256);
  });
});
