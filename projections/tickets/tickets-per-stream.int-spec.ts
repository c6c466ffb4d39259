import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { eventIdFor, migrateEventStore, PostgresEventStore, type RecordedEvent } from '#event-store';
import { endPool } from '#read-model/postgres/close-pools.js';
import {
  migrateProjections,
  ProjectionRunner,
  rebuildProjection,
  rebuildProjections,
  type RunnerProgress,
} from '#read-model/projections/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { appendWhole, generatedStreams } from '../unit-days/testing/ticket-streams.js';
import { CALENDAR_VERSIONS, TICKET_TABLES } from './tables.js';
import { businessRecordedEvents } from './testing/business-tickets.js';
import { createTicketsProjection } from './tickets.projection.js';

/*
 * The per-stream rebuild's resume (projection.ts `perStream`, runner/per-stream-phase.ts): two
 * versions (beside live ones) built together from one per-stream read are stopped after a few chunks, events are
 * appended after the phase's head, then one continues through `rebuildProjection` and the other
 * through a plain runner (as a projector continues a building version). Both must end with the
 * tables of a bulk rebuild, having applied every event once. The business fixture's calendars
 * (streams outside the `ticket-` prefix) go through `handle` before the streams are folded.
 */

const SEED = 20261207;
const CHUNK_EVENTS = 300;
const STOP_AFTER_CHUNKS = 3;

async function appendRecorded(store: PostgresEventStore, events: RecordedEvent[]): Promise<void> {
  for (const event of events) {
    await store.append(
      event.streamId,
      [{ eventId: eventIdFor(event.streamId, event.revision), type: event.type, data: event.data, metadata: event.metadata }],
      { expectedRevision: event.revision === 0 ? 'no_stream' : event.revision - 1 },
    );
  }
}

async function rowsOf(pool: pg.Pool, prefix: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of [...TICKET_TABLES, CALENDAR_VERSIONS]) {
    const { rows } = await pool.query(`SELECT * FROM analytics.${prefix}${table.name} ORDER BY ${table.primaryKey.join(', ')}`);
    out[table.name] = rows;
  }
  return out;
}

/**
 * The secondary (non-unique) indexes of a build's tables in one version, written without the
 * build's prefix and version so that two builds compare (runner/per-stream-phase.ts `deferredIndexes`).
 */
async function secondaryIndexes(pool: pg.Pool, build: string, version: number): Promise<string[]> {
  const { rows } = await pool.query<{ indexdef: string }>(
    `SELECT indexdef FROM pg_indexes
      WHERE schemaname = 'projections' AND tablename LIKE $1 AND tablename LIKE $2 AND indexdef NOT LIKE 'CREATE UNIQUE INDEX%'`,
    [`${build}\\_%`, `%\\_v${version}`],
  );
  const unversioned = (indexdef: string) =>
    indexdef
      .replaceAll(`projections.${build}_`, 'projections.')
      .replaceAll(`projections_${build}_`, 'projections_')
      .replaceAll(`_v${version}`, '');
  return rows.map((row) => unversioned(row.indexdef)).sort();
}

describe(`a per-stream rebuild stopped after ${STOP_AFTER_CHUNKS} chunks (seed ${SEED})`, () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const make = (build: string) => createTicketsProjection({ name: `tickets-${build}`, tablePrefix: `${build}_` });
  const versions = new Map<string, number>();
  let indexesAtStop: string[] = [];
  let pendingAtStop: Array<{ name: string; last_stream_id: string | null; outside_done: boolean }> = [];
  let stopped: string[] = [];
  let resumed: { resumed: boolean; end: string } | undefined;
  let runnerEnd: string | undefined;

  beforeAll(async () => {
    console.log(`tickets per-stream resume spec: seed ${SEED}`);
    db = await createTestDatabase('tickets_per_stream');
    pool = new pg.Pool({ connectionString: db.url, max: 8 });
    store = new PostgresEventStore(pool);
    await migrateEventStore(pool);
    await migrateProjections(pool);
    const load = generatedStreams({ tickets: 450, seed: SEED, start: new Date('2026-01-05T00:00:00Z'), spreadDays: 30 });
    const [early, late] = [new Map([...load].slice(0, 400)), new Map([...load].slice(400))];
    // A first, empty version of each, live: the rebuild below is a rebuild beside it, as in production.
    await rebuildProjections({ pool, store }, [make('a'), make('b')]);
    await appendRecorded(store, businessRecordedEvents());
    await appendWhole(store, early);

    const controller = new AbortController();
    let chunks = 0;
    const summaries = await rebuildProjections({ pool, store }, [make('a'), make('b')], {
      perStreamChunkEvents: CHUNK_EVENTS,
      signal: controller.signal,
      onStart: ({ name, version }) => versions.set(name, version),
      onProgress: (progress: RunnerProgress) => {
        if (progress.name === 'tickets-a' && progress.state === 'building' && progress.batchEvents > 0 && ++chunks >= STOP_AFTER_CHUNKS) {
          controller.abort();
        }
      },
    });
    stopped = summaries.map((summary) => summary.end);
    pendingAtStop = (
      await pool.query<{ name: string; last_stream_id: string | null; outside_done: boolean }>(
        'SELECT name, last_stream_id, outside_done FROM projections.per_stream_builds ORDER BY name',
      )
    ).rows;
    indexesAtStop = await secondaryIndexes(pool, 'a', versions.get('tickets-a') ?? 0);

    // Appended after the phase's head: followed through the log once the phase ends.
    await appendWhole(store, late);
    const a = await rebuildProjection({ pool, store }, make('a'), { perStreamChunkEvents: CHUNK_EVENTS });
    resumed = { resumed: a.resumed, end: a.end };
    runnerEnd = await new ProjectionRunner({ pool, store }, make('b'), versions.get('tickets-b') ?? 0, {
      perStreamChunkEvents: CHUNK_EVENTS,
      untilCaughtUp: true,
    }).start();
    await rebuildProjection({ pool, store }, make('bulk'), { perStream: false });
  }, 300_000);

  afterAll(async () => {
    await store?.close();
    if (pool) await endPool(pool);
    await db?.drop();
  });

  it('stopped both mid-phase, at the same stream, with the calendars applied', () => {
    expect(stopped).toEqual(['stopped', 'stopped']);
    expect(pendingAtStop.map((row) => row.name)).toEqual(['tickets-a', 'tickets-b']);
    expect(pendingAtStop[0].last_stream_id).not.toBeNull();
    expect(pendingAtStop[1]).toEqual({ ...pendingAtStop[0], name: 'tickets-b' });
    expect(pendingAtStop[0].outside_done).toBe(true);
  });

  it('continued through a rebuild and through a runner to the tables of a bulk rebuild', async () => {
    expect(resumed).toEqual({ resumed: true, end: 'caught_up' });
    expect(runnerEnd).toBe('caught_up');
    const bulk = await rowsOf(pool, 'bulk_');
    expect(bulk.tickets).toHaveLength(455);
    expect(bulk.calendar_versions.length).toBeGreaterThan(0);
    expect(await rowsOf(pool, 'a_')).toEqual(bulk);
    expect(await rowsOf(pool, 'b_')).toEqual(bulk);
  });

  it('built the secondary indexes after the phase, not during it: the same as the bulk rebuild keeps up', async () => {
    const bulkVersion = (
      await pool.query<{ version: number }>(`SELECT version FROM projections.checkpoints WHERE name = 'tickets-bulk' AND state = 'live'`)
    ).rows[0].version;
    const bulk = await secondaryIndexes(pool, 'bulk', bulkVersion);
    expect(bulk.length).toBeGreaterThan(5);
    expect(indexesAtStop).toEqual([]);
    expect(await secondaryIndexes(pool, 'a', versions.get('tickets-a') ?? 0)).toEqual(bulk);
    expect(await secondaryIndexes(pool, 'b', versions.get('tickets-b') ?? 0)).toEqual(bulk);
  });

  it('applied every event once and left no phase behind', async () => {
    const { rows } = await pool.query<{ name: string; events_applied: string; position: string }>(
      `SELECT name, events_applied, position FROM projections.checkpoints WHERE state = 'live' ORDER BY name`,
    );
    const bulk = rows.find((row) => row.name === 'tickets-bulk');
    expect(bulk).toBeDefined();
    expect(rows.map((row) => row.name)).toEqual(['tickets-a', 'tickets-b', 'tickets-bulk']);
    for (const row of rows) expect({ ...row, name: '' }).toEqual({ ...bulk, name: '' });
    expect((await pool.query('SELECT 1 FROM projections.per_stream_builds')).rowCount).toBe(0);
  });
});
