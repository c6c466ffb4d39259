import pg from 'pg';
import { migrateEventStore, PostgresEventStore } from '#event-store';
import { endPool } from '#read-model/postgres/close-pools.js';
import {
  migrateProjections,
  planProjection,
  ProjectionRunner,
  rebuildProjection,
  silentLog,
  type Projection,
} from '#read-model/projections/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { appendLive, type TicketStreams } from '../unit-days/testing/ticket-streams.js';

/**
 * The builds of one projection; each writes its tables under its own prefix (`one_`,
 * `thousand_`, `rebuilt_`, `perstream_`).
 */
export type Build = 'one' | 'thousand' | 'rebuilt' | 'perstream';

/** Events per chunk of the `perstream` build: small, so that even a small load takes many chunks. */
export const PER_STREAM_CHUNK_EVENTS = 1000;

export interface ThreeWays {
  db: TestDatabase;
  pool: pg.Pool;
  store: PostgresEventStore;
  close(): Promise<void>;
}

/**
 * A projection's exactly-once check, shared by the projections' int-specs: on a fresh database,
 * `make('one')` follows the appends live with batch size 1 and `make('thousand')` with 1,000,
 * while `streams` are appended one event at a time by concurrent writers; after the appends,
 * `make('rebuilt')` is rebuilt from zero through the bulk path, and, when the projection has a
 * per-stream path, `make('perstream')` through it (in chunks of PER_STREAM_CHUNK_EVENTS). A spec
 * then compares the prefixes' tables with each other and with its own independent expectation.
 */
export async function buildThreeWays(databaseName: string, streams: TicketStreams, make: (build: Build) => Projection): Promise<ThreeWays> {
  const db = await createTestDatabase(databaseName);
  const pool = new pg.Pool({ connectionString: db.url, max: 12 });
  const store = new PostgresEventStore(pool);
  const close = async () => {
    await store.close();
    await endPool(pool);
    await db.drop();
  };
  try {
    await migrateEventStore(pool);
    await migrateProjections(pool);
    const live = [
      { projection: make('one'), batchSize: 1 },
      { projection: make('thousand'), batchSize: 1000 },
    ];
    const planned = await Promise.all(
      live.map(async ({ projection, batchSize }) => ({ batchSize, plan: (await planProjection(pool, [projection], silentLog))[0] })),
    );
    const follow = () =>
      Promise.all(
        planned.map(({ plan, batchSize }) =>
          new ProjectionRunner({ pool, store }, plan.projection, plan.version, { batchSize, bulk: false, untilCaughtUp: true }).start(),
        ),
      );
    // Both follow the appends as they happen (a caught-up runner may end before the appends
    // do), then finish what was appended after they ended: their checkpoints resume them.
    await Promise.all([appendLive(store, streams), follow()]);
    await follow();
    await rebuildProjection({ pool, store }, make('rebuilt'), { perStream: false });
    const perStream = make('perstream');
    if (perStream.perStream) await rebuildProjection({ pool, store }, perStream, { perStreamChunkEvents: PER_STREAM_CHUNK_EVENTS });
  } catch (error) {
    await close();
    throw error;
  }
  return { db, pool, store, close };
}
