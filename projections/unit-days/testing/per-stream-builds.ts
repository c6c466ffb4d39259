import { expect, it } from '@jest/globals';
import pg from 'pg';
import { migrateEventStore, PostgresEventStore, type RecordedEvent } from '#event-store';
import { endPool } from '#read-model/postgres/close-pools.js';
import { physicalTableName } from '#read-model/projections/names.js';
import { migrateProjections } from '#read-model/projections/index.js';
import { projectionContext, type Projection } from '#read-model/projections/projection.js';
import type { TableDefinition } from '#read-model/projections/table-definition.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { appendLive, type TicketStreams } from './ticket-streams.js';

/**
 * The per-stream rebuild's check for a projection's own handlers, without the engine: on one
 * database, the same events (in all-stream order) are applied four ways, each into its own
 * tables (prefix `<build>_`):
 * - `batched`: everything through `handle`, 1,000 events per transaction (the reference);
 * - `streams`: the events of other streams through `handle`, then every stream of the prefix
 *   whole through `perStream.handleStreams`, `chunk` streams per transaction (head = the end);
 * - `split`: the same up to a head in the middle of the log (other streams' events up to it
 *   first, then each stream's events up to it), then the events after the head through `handle`;
 * - `overlap`: as `split`, but `handle` then starts well before the head, so it meets events
 *   the folded streams already hold and must skip them.
 * A spec compares each build's tables with `batched`'s, row for row.
 */
export type PerStreamBuild = 'batched' | 'streams' | 'split' | 'overlap';
export const PER_STREAM_BUILDS: readonly PerStreamBuild[] = ['batched', 'streams', 'split', 'overlap'];

export interface PerStreamDatabase {
  db: TestDatabase;
  pool: pg.Pool;
  close(): Promise<void>;
}

export async function openPerStreamDatabase(name: string): Promise<PerStreamDatabase> {
  const db = await createTestDatabase(name);
  const pool = new pg.Pool({ connectionString: db.url, max: 6 });
  await migrateProjections(pool);
  return {
    db,
    pool,
    close: async () => {
      await endPool(pool);
      await db.drop();
    },
  };
}

/** `streams` appended by concurrent writers one event at a time (so streams interleave), read back in all-stream order. */
export async function recordedThroughStore(pool: pg.Pool, streams: TicketStreams): Promise<RecordedEvent[]> {
  await migrateEventStore(pool);
  const store = new PostgresEventStore(pool);
  try {
    await appendLive(store, streams);
    const events: RecordedEvent[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      events.push(...page.events);
      after = page.nextAfter;
      if (page.isEnd) return events;
    }
  } finally {
    await store.close();
  }
}

export interface PerStreamOptions {
  /** Streams per `handleStreams` call (and transaction). */
  chunk: number;
  /** The head of `split` and `overlap`, as a share of the events (0 to 1). */
  head?: number;
}

/** Applies `events` (all-stream order) the way `build` says, into `make(build)`'s tables, created here. */
export async function applyPerStreamBuild(
  pool: pg.Pool,
  build: PerStreamBuild,
  make: (build: PerStreamBuild) => Projection,
  events: readonly RecordedEvent[],
  options: PerStreamOptions,
): Promise<void> {
  const projection = make(build);
  const perStream = projection.perStream;
  if (!perStream) throw new Error(`projection ${projection.name} has no per-stream path`);
  for (const table of projection.tables)
    for (const sql of table.create(physicalTableName(table.name, projection.version))) await pool.query(sql);
  const types = new Set(projection.eventTypes);
  const wanted = events.filter((event) => types.has(event.type));
  const client = await pool.connect();
  try {
    const context = projectionContext(projection, projection.version, client);
    const inTransaction = async (work: () => Promise<void>) => {
      await client.query('BEGIN');
      try {
        await work();
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    };
    const handleAll = async (list: readonly RecordedEvent[]) => {
      for (let i = 0; i < list.length; i += 1000) await inTransaction(() => projection.handle(list.slice(i, i + 1000), context));
    };
    if (build === 'batched') {
      await handleAll(wanted);
      return;
    }
    // The head: every event of `events` before this index (of all types, as the engine's position is).
    const head = build === 'streams' ? events.length : Math.floor(events.length * (options.head ?? 0.6));
    const upToHead = new Set(events.slice(0, head));
    const before = wanted.filter((event) => upToHead.has(event));
    await handleAll(before.filter((event) => !event.streamId.startsWith(perStream.streamPrefix)));
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of events.slice(0, head)) {
      if (!event.streamId.startsWith(perStream.streamPrefix)) continue;
      const list = byStream.get(event.streamId) ?? [];
      list.push(event);
      byStream.set(event.streamId, list);
    }
    const streams = [...byStream.values()].map((list) => [...list].sort((a, b) => a.revision - b.revision));
    for (let i = 0; i < streams.length; i += options.chunk) {
      const chunk = streams.slice(i, i + options.chunk);
      await inTransaction(() => perStream.handleStreams(chunk, context));
    }
    if (build === 'streams') return;
    const from = build === 'split' ? head : Math.floor(head / 2);
    const firstAfter = new Set(events.slice(from));
    await handleAll(wanted.filter((event) => firstAfter.has(event)));
  } finally {
    client.release();
  }
}

/** Every row of each table of one build, in primary-key order. */
export async function perStreamRows(
  pool: pg.Pool,
  build: PerStreamBuild,
  version: number,
  tables: readonly TableDefinition[],
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const physical = physicalTableName(`${build}_${table.name}`, version);
    out[table.name] = (await pool.query(`SELECT * FROM ${physical} ORDER BY ${table.primaryKey.join(', ')}`)).rows;
  }
  return out;
}

/**
 * The three comparisons of a per-stream spec, each build's tables against `batched`'s; the
 * database is read when the tests run (it is opened in the spec's beforeAll).
 */
export function itMatchesHandleInBatches(database: () => PerStreamDatabase, version: number, tables: readonly TableDefinition[]): void {
  const compare = async (build: PerStreamBuild) => {
    const { pool } = database();
    expect(await perStreamRows(pool, build, version, tables)).toEqual(await perStreamRows(pool, 'batched', version, tables));
  };
  it('writes with handleStreams over whole streams the rows handle writes in batches of 1,000', () => compare('streams'));
  it('after handleStreams up to a head, handle from the head gives the rows of handle over everything', () => compare('split'));
  it('after handleStreams up to a head, handle from well before it skips what the folded streams hold', () => compare('overlap'));
}
