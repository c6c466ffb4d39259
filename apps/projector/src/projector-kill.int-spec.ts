import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { endPool } from '#read-model/postgres/close-pools.js';
import { migrateEventStore, PostgresEventStore } from '#event-store';
import { listCheckpoints, migrateProjections, rebuildProjection } from '#read-model/projections/index.js';
import { eventCountsProjection } from '#read-model/projections/sample/event-counts.projection.js';
import {
  eventCountsRows,
  eventually,
  expectedEventCounts,
  readEverything,
  seededRandom,
  seedEvents,
  SPEC_TYPES,
} from '#read-model/projections/testing/projection-fixtures.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ChildProcesses, distPath, type RunningChild } from './testing/child-processes.js';

/*
 * The projector as a real process (the build, `npm test` makes it first), killed with SIGKILL
 * at seeded random moments of a catch-up: no shutdown code runs, a batch may be cut anywhere.
 * Restarted each time, it must end with the same tables as an uninterrupted run. Replay a
 * failure with KILL_SEED=<the printed seed>.
 */

const KILLS = 6;
const STREAMS = 400;
const EVENTS_PER_STREAM = 50;

function childScript(): string {
  const dist = (relative: string) => JSON.stringify(distPath(relative));
  return [
    `import { runProjector } from ${dist('apps/projector/src/run-projector.js')};`,
    `import { eventCountsProjection } from ${dist('libs/read-model/src/projections/sample/event-counts.projection.js')};`,
    // Small batches through the event-by-event handler, so a catch-up lasts long enough to be cut many times.
    `await runProjector([eventCountsProjection({ eventTypes: ${JSON.stringify(SPEC_TYPES)} })], ` +
      `{ runner: { batchSize: 100, bulk: false, idlePollMs: 10, standbyPollMs: 100 } });`,
  ].join('\n');
}

describe('the projector killed with SIGKILL during a catch-up', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let workDir: string;
  let scriptPath: string;
  const children = new ChildProcesses();

  function startProjector(): RunningChild {
    return children.start(scriptPath, [], { DATABASE_URL: database.url, DATA_DIR: workDir, LOG_LEVEL: 'warn' });
  }

  async function eventsApplied(): Promise<number> {
    const row = (await listCheckpoints(pool)).find((entry) => entry.name === 'event_counts');
    return Number(row?.events_applied ?? 0);
  }

  beforeAll(async () => {
    database = await createTestDatabase('projector_kill');
    pool = new pg.Pool({ connectionString: database.url, max: 6 });
    await migrateEventStore(pool);
    await migrateProjections(pool);
    store = new PostgresEventStore(pool);
    await seedEvents(store, { streams: STREAMS, eventsPerStream: EVENTS_PER_STREAM, writers: 6, perAppend: 5 });
    workDir = mkdtempSync(path.join(tmpdir(), 'bildirim-projector-kill-'));
    scriptPath = path.join(workDir, 'projector.mjs');
    writeFileSync(scriptPath, childScript());
  });

  afterAll(async () => {
    children.killAll();
    await store.close();
    await endPool(pool);
    await database.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('ends with the same tables as an uninterrupted run, however often it is killed', async () => {
    const seed = process.env.KILL_SEED ? Number(process.env.KILL_SEED) : Math.floor(Math.random() * 2 ** 31);
    console.log(`projector kill test: KILL_SEED=${seed}`);
    const random = seededRandom(seed);
    const cutsAt: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const before = await eventsApplied();
      const projector = startProjector();
      // Kill only once this run has committed something, at a random moment after that.
      await eventually(
        `run ${kill + 1} applies events (seed ${seed})\n${projector.output()}`,
        async () => (await eventsApplied()) > before,
        30_000,
      );
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 1500)));
      projector.child.kill('SIGKILL');
      expect((await projector.exited).signal).toBe('SIGKILL');
      cutsAt.push(await eventsApplied());
      // Live appends between the kills.
      await seedEvents(store, { streams: 5, eventsPerStream: 4, writers: 1, streamPrefix: `live-${kill}` });
    }
    const total = (await readEverything(store)).filter((event) => SPEC_TYPES.includes(event.type)).length;
    console.log(`projector kill test (KILL_SEED=${seed}): killed after ${cutsAt.join(', ')} of ${total} events applied`);
    expect(cutsAt.at(-1)).toBeLessThan(total);

    const last = startProjector();
    const everything = await readEverything(store);
    await eventually(
      `the last run caught up (seed ${seed}, cut at ${cutsAt.join(', ')})`,
      async () => {
        const row = (await listCheckpoints(pool)).find((entry) => entry.name === 'event_counts');
        return row?.position === everything.at(-1)?.position;
      },
      60_000,
    );
    last.child.kill('SIGTERM');
    expect(await last.exited).toEqual({ code: 0, signal: null });
    // The stopped projector freed its lock.
    expect(
      (
        await pool.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted ` +
            `AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
      ).rows[0].n,
    ).toBe(0);

    const killed = await eventCountsRows(pool, 'analytics.event_type_counts', 'analytics.stream_counts');
    const uninterrupted = await rebuildProjection(
      { pool, store },
      eventCountsProjection({ name: 'reference', tablePrefix: 'reference_', eventTypes: SPEC_TYPES }),
    );
    expect(uninterrupted.end).toBe('caught_up');
    const reference = await eventCountsRows(pool, 'analytics.reference_event_type_counts', 'analytics.reference_stream_counts');
    expect({ seed, rows: killed }).toEqual({ seed, rows: reference });
    expect(killed).toEqual(expectedEventCounts(everything));
    expect(await eventsApplied()).toBe(total);
  });
});
