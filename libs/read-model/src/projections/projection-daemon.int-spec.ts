import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { endPool } from '../postgres/close-pools.js';
import { migrateEventStore, PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { listCheckpoints } from './catalog.js';
import { ProjectionDaemon } from './projection-daemon.js';
import type { Projection } from './projection.js';
import { rebuildProjection } from './rebuild.js';
import { eventCountsProjection } from './sample/event-counts.projection.js';
import { migrateProjections } from './schema/migrate-projections.js';
import { eventCountsRows, eventually, expectedEventCounts, readEverything, seedEvents, SPEC_TYPES } from './testing/projection-fixtures.js';

/*
 * A daemon (the API's inline runners, a projector) must follow whichever version is live, also
 * when another process made it live: `cli rebuild` builds a fresh version, switches the views to
 * it and retires the one the daemon was running. Each "process" here has a pool of its own; the
 * daemons run with their production defaults (replan every 5 s, standby poll 1 s).
 */

/** The rebuild's result, or a failure naming `what` if it has not ended after `ms` (it is then stopped). */
async function endsWithin<T>(running: Promise<T>, ms: number, what: string, stop: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stop.abort();
      reject(new Error(`timed out after ${ms} ms waiting for: ${what}`));
    }, ms);
  });
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sample(prefix: string): Projection {
  return eventCountsProjection({ name: prefix.replace(/_$/, ''), tablePrefix: prefix, eventTypes: SPEC_TYPES });
}

describe('projection daemon following versions made live elsewhere (PostgreSQL)', () => {
  let database: TestDatabase;
  let storePool: pg.Pool;
  let store: PostgresEventStore;
  const pools: pg.Pool[] = [];

  /** A connection pool standing for one process. */
  function processPool(name: string): pg.Pool {
    const pool = new pg.Pool({ connectionString: database.url, max: 6, application_name: `spec:${name}` });
    pools.push(pool);
    return pool;
  }

  async function converged(prefix: string, what: string, timeoutMs = 20_000): Promise<void> {
    await eventually(
      what,
      async () => {
        const expected = expectedEventCounts(await readEverything(store));
        const rows = await eventCountsRows(storePool, `analytics.${prefix}event_type_counts`, `analytics.${prefix}stream_counts`);
        return JSON.stringify(rows) === JSON.stringify(expected);
      },
      timeoutMs,
    );
  }

  async function versions(name: string): Promise<Array<[number, string]>> {
    return (await listCheckpoints(storePool)).filter((row) => row.name === name).map((row) => [row.version, row.state]);
  }

  async function viewReads(view: string): Promise<string> {
    return (await storePool.query(`SELECT definition FROM pg_views WHERE schemaname = 'analytics' AND viewname = $1`, [view])).rows[0]
      .definition as string;
  }

  beforeAll(async () => {
    database = await createTestDatabase('projections_daemon');
    storePool = new pg.Pool({ connectionString: database.url, max: 6, application_name: 'spec:store' });
    await migrateEventStore(storePool);
    await migrateProjections(storePool);
    store = new PostgresEventStore(storePool);
    await seedEvents(store, { streams: 40, eventsPerStream: 20, writers: 4 });
  });

  afterAll(async () => {
    await store.close();
    for (const pool of pools) await endPool(pool);
    await endPool(storePool);
    await database.drop();
  });

  it('every daemon follows the version a rebuild in another process made live: one runs it, the other stands by', async () => {
    const projection = sample('follow_');
    const api = new ProjectionDaemon({ pool: processPool('api'), store }, [projection]);
    const projector = new ProjectionDaemon({ pool: processPool('projector'), store }, [projection]);
    try {
      await api.start();
      await converged('follow_', 'the API daemon caught up with version 1');
      await projector.start();
      await eventually('the projector stands by for version 1', () => projector.runnerStates().some((state) => state.phase === 'standby'));
      expect(api.runnerStates()).toEqual([{ name: 'follow', version: 1, phase: 'active' }]);

      const rebuilt = await rebuildProjection({ pool: processPool('cli'), store }, projection);
      expect(rebuilt).toMatchObject({ version: 2, end: 'caught_up', resumed: false });
      expect(await versions('follow')).toEqual([
        [1, 'retired'],
        [2, 'live'],
      ]);
      expect(await viewReads('follow_stream_counts')).toContain('follow_stream_counts_v2');

      // The rebuild's process has ended: only the daemons can project what comes now.
      await seedEvents(store, { streams: 5, eventsPerStream: 6, writers: 2 });
      await converged('follow_', 'a daemon projected new events into the version the rebuild made live');
      await eventually('each daemon runs version 2 only, one active and one standing by', () => {
        const phases = [...api.runnerStates(), ...projector.runnerStates()].map((state) => `${state.version}:${state.phase}`).sort();
        return JSON.stringify(phases) === JSON.stringify(['2:active', '2:standby']);
      });
    } finally {
      await projector.stop();
      await api.stop();
    }
  });

  it('continues a build whose rebuild was interrupted; a rebuild run again meanwhile watches it, ends when the views switch', async () => {
    const projection = sample('resume_');
    // The daemon's copy of the definition fails its batches until the gate opens, so the
    // build it takes over stays unfinished for as long as the spec needs (a failing batch
    // rolls back; a handler that blocked instead would hold back every all-stream reader).
    let open = false;
    let daemonBatches = 0;
    const gated: Projection = {
      ...projection,
      async handle(batch, context) {
        daemonBatches += 1;
        if (!open) throw new Error('the daemon may not go on yet');
        await projection.handle(batch, context);
      },
      rebuild: undefined,
    };
    const daemon = new ProjectionDaemon({ pool: processPool('api-resume'), store }, [gated], {
      runner: { batchSize: 50, retryInitialMs: 20, retryMaxMs: 100 },
    });
    try {
      open = true;
      await daemon.start();
      await converged('resume_', 'the daemon caught up with version 1');
      open = false;
      daemonBatches = 0;

      // A rebuild interrupted (Ctrl-C) after its first batch leaves version 2 building.
      const interrupt = new AbortController();
      const interrupted = await rebuildProjection({ pool: processPool('cli-1'), store }, projection, {
        bulk: false,
        batchSize: 100,
        signal: interrupt.signal,
        onProgress: () => interrupt.abort(),
      });
      expect(interrupted).toMatchObject({ version: 2, end: 'stopped' });
      expect(await versions('resume')).toEqual([
        [1, 'live'],
        [2, 'building'],
      ]);

      // The daemon takes the build over from its checkpoint (its batches fail for now).
      await eventually(
        'the daemon runs the interrupted build',
        () => daemon.runnerStates().some((state) => state.version === 2 && state.phase === 'active') && daemonBatches > 0,
      );

      // The same rebuild run again finds the build, and another process running it.
      const progress: number[] = [];
      const giveUp = new AbortController();
      const again = rebuildProjection({ pool: processPool('cli-2'), store }, projection, {
        standbyPollMs: 100,
        signal: giveUp.signal,
        onProgress: (step) => progress.push(step.eventsApplied),
      });
      await eventually('the second rebuild stands by, reporting the build', () => progress.length > 0);
      open = true;
      const summary = await endsWithin(again, 30_000, 'the second rebuild ends once the daemon has switched the views', giveUp);
      expect(summary).toMatchObject({ version: 2, resumed: true, end: 'caught_up' });
      expect(progress.at(-1)).toBeGreaterThan(0);
      expect(await versions('resume')).toEqual([
        [1, 'retired'],
        [2, 'live'],
      ]);
      await seedEvents(store, { streams: 3, eventsPerStream: 4, writers: 1 });
      await converged('resume_', 'the daemon follows version 2');
      await eventually(
        'the daemon runs version 2 only',
        () => JSON.stringify(daemon.runnerStates()) === JSON.stringify([{ name: 'resume', version: 2, phase: 'active' }]),
      );
    } finally {
      open = true;
      await daemon.stop();
    }
  });
});
