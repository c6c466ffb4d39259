import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { endPool } from '../postgres/close-pools.js';
import { migrateEventStore, PostgresEventStore, type RecordedEvent } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { dropRetiredVersions, listCheckpoints, planProjection } from './catalog.js';
import { storeCheckpoint } from './checkpoint.js';
import { silentLog } from './log.js';
import { ProjectionDaemon } from './projection-daemon.js';
import { ProjectionRunner } from './runner/projection-runner.js';
import type { RunnerOptions } from './runner/runner-options.js';
import type { Projection } from './projection.js';
import { rebuildProjection } from './rebuild.js';
import { eventCountsProjection } from './sample/event-counts.projection.js';
import { migrateProjections } from './schema/migrate-projections.js';
import {
  eventCountsRows,
  eventually,
  expectedEventCounts,
  readEverything,
  recordingLog,
  seedEvents,
  SPEC_TYPES,
} from './testing/projection-fixtures.js';
import { inTransaction } from './transaction.js';

const FAST = { idlePollMs: 10, standbyPollMs: 50, retryInitialMs: 20, retryMaxMs: 200 };

function sample(prefix: string, version = 1): Projection {
  return eventCountsProjection({ name: prefix.replace(/_$/, ''), version, tablePrefix: prefix, eventTypes: SPEC_TYPES });
}

describe('projection runner (PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let storePool: pg.Pool;
  let store: PostgresEventStore;
  const deps = () => ({ pool, store });

  async function runToEnd(projection: Projection, options: RunnerOptions = {}): Promise<number> {
    const [planned] = await planProjection(pool, [projection], silentLog);
    const runner = new ProjectionRunner(deps(), projection, planned.version, { ...FAST, ...options, untilCaughtUp: true });
    expect(await runner.start()).toBe('caught_up');
    return planned.version;
  }

  /**
   * Waits until the views of `prefix` hold what a plain fold of every event gives. The fold is
   * redone each time: a runner's open batch transaction hides the newest events from every
   * all-stream reader until it commits, so a fold taken once may be short.
   */
  async function converged(prefix: string, what: string): Promise<void> {
    await eventually(what, async () => {
      const expected = expectedEventCounts(await readEverything(store));
      const rows = await eventCountsRows(pool, `analytics.${prefix}event_type_counts`, `analytics.${prefix}stream_counts`);
      return JSON.stringify(rows) === JSON.stringify(expected);
    });
  }

  async function checkpoint(name: string, version: number) {
    return (await listCheckpoints(pool)).find((row) => row.name === name && row.version === version);
  }

  beforeAll(async () => {
    database = await createTestDatabase('projections_runner');
    pool = new pg.Pool({ connectionString: database.url, max: 12, application_name: 'spec:projections' });
    storePool = new pg.Pool({ connectionString: database.url, max: 8 });
    await migrateEventStore(storePool);
    await migrateProjections(pool);
    store = new PostgresEventStore(storePool);
    await seedEvents(store, { streams: 60, eventsPerStream: 25, writers: 6 });
  });

  afterAll(async () => {
    await store.close();
    await endPool(pool);
    await endPool(storePool);
    await database.drop();
  });

  it('applies its event types only, and moves the checkpoint past pages that hold none of them', async () => {
    const projection = sample('filter_');
    // The last 40 events are all of a type the projection does not read.
    await seedEvents(store, { streams: 4, eventsPerStream: 10, writers: 2, types: ['X'] });
    const version = await runToEnd(projection, { batchSize: 7, bulk: false });
    const everything = await readEverything(store);
    expect(await eventCountsRows(pool, `analytics.filter_event_type_counts`, `analytics.filter_stream_counts`)).toEqual(
      expectedEventCounts(everything),
    );
    const row = await checkpoint('filter', version);
    expect(row?.position).toBe(everything.at(-1)?.position);
    expect(row?.state).toBe('live');
    const applied = everything.filter((event) => SPEC_TYPES.includes(event.type)).length;
    expect(Number(row?.events_applied)).toBe(applied);
    expect(Number(row?.events_seen)).toBe(applied);
  });

  it('gives identical tables with batch size 1, batch size 1000 under live appends, and a rebuild', async () => {
    const one = sample('b1_');
    const thousand = sample('b1000_');
    await runToEnd(one, { batchSize: 1, bulk: false });
    // Appends interleave with the batches of this one.
    const [planned] = await planProjection(pool, [thousand], silentLog);
    const runner = new ProjectionRunner(deps(), thousand, planned.version, { ...FAST, batchSize: 1000, bulk: false });
    const running = runner.start();
    await seedEvents(store, { streams: 20, eventsPerStream: 10, writers: 4 });
    await converged('b1000_', 'the batch-1000 runner caught up');
    await runner.stop();
    expect(await running).toBe('stopped');
    // b1 catches up with the events appended meanwhile, from where it was.
    await runToEnd(one, { batchSize: 1, bulk: false });
    const expected = expectedEventCounts(await readEverything(store));

    const rebuilt = await rebuildProjection(deps(), sample('bulk_'), { ...FAST, bulkBatchSize: 500 });
    expect(rebuilt.end).toBe('caught_up');

    expect(await eventCountsRows(pool, 'analytics.b1_event_type_counts', 'analytics.b1_stream_counts')).toEqual(expected);
    expect(await eventCountsRows(pool, 'analytics.b1000_event_type_counts', 'analytics.b1000_stream_counts')).toEqual(expected);
    expect(await eventCountsRows(pool, 'analytics.bulk_event_type_counts', 'analytics.bulk_stream_counts')).toEqual(expected);
  });

  it('rolls back a batch whose handler throws mid-batch, logs the event position, and retries until it passes', async () => {
    const base = sample('poison_');
    const everything = await readEverything(store);
    const mine = everything.filter((event) => SPEC_TYPES.includes(event.type));
    const poison = mine[Math.floor(mine.length / 2)];
    let poisoned = true;
    let handled = 0;
    const projection: Projection = {
      ...base,
      async handle(batch: RecordedEvent[], context) {
        for (const event of batch) {
          if (poisoned && event.eventId === poison.eventId) throw new Error('poisoned event');
          await base.handle([event], context);
          handled += 1;
        }
      },
    };
    const { log, lines } = recordingLog();
    const [planned] = await planProjection(pool, [projection], silentLog);
    const runner = new ProjectionRunner(deps(), projection, planned.version, {
      ...FAST,
      batchSize: 100_000,
      bulk: false,
      log,
      retryInitialMs: 50,
    });
    const running = runner.start();
    await eventually(
      'the handler failed twice',
      () => lines.filter((line) => line.msg.startsWith('the projection handler failed')).length >= 2,
    );
    // The handler wrote rows for the events before the poisoned one, in the batch's transaction.
    expect(handled).toBeGreaterThan(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM analytics.poison_stream_counts')).rows[0].n).toBe(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM analytics.poison_event_type_counts')).rows[0].n).toBe(0);
    const stuck = await checkpoint('poison', planned.version);
    expect(stuck?.position).toBeNull();
    expect(stuck?.events_applied).toBe('0');
    const failure = lines.find((line) => line.msg.startsWith('the projection handler failed'));
    expect(failure?.fields).toMatchObject({
      eventPosition: poison.position,
      streamId: poison.streamId,
      eventType: poison.type,
      errorMessage: 'poisoned event',
    });

    poisoned = false;
    await converged('poison_', 'the runner passed the poisoned event');
    await runner.stop();
    await running;
  });

  it('reports every outcome of the checkpoint compare-and-set', async () => {
    const projection = sample('cas_');
    const [planned] = await planProjection(pool, [projection], silentLog);
    const move = (expected: string | null, next: string) => ({
      name: 'cas',
      version: planned.version,
      expected,
      next,
      eventsSeen: 1,
      eventsApplied: 1,
      lastRecordedAt: null,
    });
    const [a, b, c] = (await readEverything(store)).map((event) => event.position);
    const outcomes = await inTransaction(pool, async (client) => [
      await storeCheckpoint(client, move(null, a)),
      await storeCheckpoint(client, move(null, a)),
      await storeCheckpoint(client, move(b, c)),
      await storeCheckpoint(client, { ...move(a, b), version: 999 }),
    ]);
    expect(outcomes).toEqual([{ kind: 'stored' }, { kind: 'already_there' }, { kind: 'mismatch', current: a }, { kind: 'missing' }]);
    await pool.query(`UPDATE projections.checkpoints SET state = 'retired' WHERE name = 'cas'`);
    expect(await inTransaction(pool, (client) => storeCheckpoint(client, move(a, b)))).toEqual({ kind: 'retired' });
  });

  it('runs one runner per version across two daemons; the standby takes over when the active one stops', async () => {
    const projection = sample('pair_');
    const poolB = new pg.Pool({ connectionString: database.url, max: 6, application_name: 'spec:projections-b' });
    const first = new ProjectionDaemon(deps(), [projection], { runner: FAST, replanIntervalMs: 200 });
    const second = new ProjectionDaemon({ pool: poolB, store }, [projection], { runner: FAST, replanIntervalMs: 200 });
    try {
      await first.start();
      await eventually('the first daemon is active', () => first.runnerStates().some((state) => state.phase === 'active'));
      await second.start();
      await eventually('the second daemon stands by', () => second.runnerStates().some((state) => state.phase === 'standby'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(second.runnerStates().map((state) => state.phase)).toEqual(['standby']);
      expect(first.runnerStates().map((state) => state.phase)).toEqual(['active']);

      await first.stop();
      await eventually('the second daemon took over', () => second.runnerStates().some((state) => state.phase === 'active'));
      await seedEvents(store, { streams: 6, eventsPerStream: 5, writers: 3 });
      await converged('pair_', 'the survivor applied everything');
    } finally {
      await first.stop();
      await second.stop();
      await endPool(poolB);
    }
  });

  it('builds a new version beside the live one and switches the views only once it has caught up', async () => {
    const v1 = sample('bg_', 1);
    const v1Daemon = new ProjectionDaemon(deps(), [v1], { runner: FAST, replanIntervalMs: 100 });

    // v2 adds a column at the front of a table: the view has to be dropped and made again.
    // Until the gate opens v2's handler fails, so its batches roll back and it stays at the
    // start. (Blocking inside the handler instead would hold the batch's transaction open, and
    // an open writing transaction holds back what every all-stream reader may see.)
    let open = false;
    const gate = (): void => {
      open = true;
    };
    let v2Batches = 0;
    const base2 = sample('bg_', 2);
    const v2: Projection = {
      ...base2,
      tables: base2.tables.map((table) =>
        table.name === 'bg_event_type_counts'
          ? {
              ...table,
              create: (physical) => [
                ...table.create(physical),
                `ALTER TABLE ${physical} ADD COLUMN kind text NOT NULL DEFAULT 'sample'`,
                `COMMENT ON COLUMN ${physical}.kind IS 'Added in version 2.'`,
              ],
              viewColumns: ['kind', 'event_type', 'events', 'last_recorded_at'],
            }
          : table,
      ),
      async handle(batch, context) {
        v2Batches += 1;
        if (!open) throw new Error('v2 is not allowed to go on yet');
        await base2.handle(batch, context);
      },
      rebuild: undefined,
    };
    const v2Daemon = new ProjectionDaemon(deps(), [v1, v2], { runner: { ...FAST, batchSize: 50, retryMaxMs: 50 }, replanIntervalMs: 100 });
    try {
      await v1Daemon.start();
      await converged('bg_', 'v1 caught up');
      await v2Daemon.start();
      await eventually('v2 started building', () => v2Batches > 0);
      const building = await listCheckpoints(pool);
      expect(building.filter((row) => row.name === 'bg').map((row) => [row.version, row.state])).toEqual([
        [1, 'live'],
        [2, 'building'],
      ]);
      // Analysts still read v1, and v1 keeps following new events.
      const viewDefinition = async () =>
        (await pool.query(`SELECT definition FROM pg_views WHERE schemaname = 'analytics' AND viewname = 'bg_stream_counts'`)).rows[0]
          .definition as string;
      expect(await viewDefinition()).toContain('bg_stream_counts_v1');
      await seedEvents(store, { streams: 3, eventsPerStream: 4, writers: 1 });
      await converged('bg_', 'v1 kept serving new events');

      gate();
      await eventually('v2 went live', async () => (await checkpoint('bg', 2))?.state === 'live');
      expect((await checkpoint('bg', 1))?.state).toBe('retired');
      expect(await viewDefinition()).toContain('bg_stream_counts_v2');
      await converged('bg_', 'v2 serves everything');
      const columns = await pool.query(
        `SELECT a.attname, col_description(a.attrelid, a.attnum) AS comment FROM pg_attribute a
          WHERE a.attrelid = 'analytics.bg_event_type_counts'::regclass AND a.attnum > 0 ORDER BY a.attnum`,
      );
      expect(columns.rows[0]).toEqual({ attname: 'kind', comment: 'Added in version 2.' });
      expect(columns.rows.every((row: { comment: string | null }) => row.comment)).toBe(true);
      // The v1 runner noticed its retirement and ended.
      await eventually(
        'the v1 runners ended',
        () =>
          !v1Daemon.runnerStates().some((state) => state.version === 1) && !v2Daemon.runnerStates().some((state) => state.version === 1),
      );

      const dropped = await dropRetiredVersions(pool, 'bg');
      expect(dropped).toEqual([
        { name: 'bg', version: 1, tables: ['projections.bg_event_type_counts_v1', 'projections.bg_stream_counts_v1'] },
      ]);
      expect((await pool.query(`SELECT to_regclass('projections.bg_stream_counts_v1') AS t`)).rows[0].t).toBeNull();
    } finally {
      gate();
      await v2Daemon.stop();
      await v1Daemon.stop();
    }
  });

  it('refuses a table without comments, and creates nothing of that version', async () => {
    const base = sample('nocomment_');
    const projection: Projection = {
      ...base,
      tables: [{ name: 'nocomment_t', create: (physical) => [`CREATE TABLE ${physical} (id int PRIMARY KEY)`] }],
    };
    await expect(planProjection(pool, [projection], () => undefined)).rejects.toMatchObject({ code: 'PROJECTION_DEFINITION_INVALID' });
    expect((await listCheckpoints(pool)).some((row) => row.name === 'nocomment')).toBe(false);
    expect((await pool.query(`SELECT to_regclass('projections.nocomment_t_v1') AS t`)).rows[0].t).toBeNull();
  });
});
