import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { migrateEventStore, PostgresEventStore } from '#event-store';
import { endPool } from '#read-model/postgres/close-pools.js';
import { listCheckpoints, migrateProjections } from '#read-model/projections/index.js';
import { compareVersions, identical, type TableComparison } from '#read-model/projections/testing/compare-versions.js';
import { eventually, seededRandom } from '#read-model/projections/testing/projection-fixtures.js';
import { cloneTestDatabase, createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ChildProcesses, distPath, type RunningChild } from './testing/child-processes.js';
import { appendTickets, slices, ticketWorkload, type TicketWorkload } from './testing/ticket-workload.js';

/*
 * Issue 3's acceptance on the real registry (the tickets projection and whatever else is
 * registered): the projector process (dist/apps/projector, `npm test` builds it first) catches
 * up with ≥ 100,000 events of the seeded ticket workload and is killed with SIGKILL at seeded
 * random moments, restarted each time; then two projectors run at once on a copy of the same
 * events and the active one is killed mid-way. Both databases must end with tables equal, row
 * for row, to an uninterrupted run: `cli rebuild` into a fresh version beside them (per stream).
 * Then a per-stream `cli rebuild` is killed mid-phase, continued by the next one, killed again,
 * and finished by the projector: its tables must equal the uninterrupted rebuild's.
 *
 * TICKETS_KILL_SEED=<the printed seed> replays the workload and the kill moments (the moments
 * are delays, so where a batch is cut still depends on the machine's speed).
 * TICKETS_KILL_EVENTS and TICKETS_KILLS change the size.
 */

const SEED = process.env.TICKETS_KILL_SEED ? Number(process.env.TICKETS_KILL_SEED) : Math.floor(Math.random() * 2 ** 31);
const MIN_EVENTS = Number(process.env.TICKETS_KILL_EVENTS ?? 100_000);
const KILLS = Number(process.env.TICKETS_KILLS ?? 6);
/** Bulk batches of 2,500 events (10,000 by default): a catch-up then has enough batches to be cut many times. */
const BULK_BATCH_SIZE = '2500';
const MAX_KILL_DELAY_MS = 1500;
/** `cli rebuild` killed this many times during its per-stream phase, in chunks of this many events. */
const PER_STREAM_KILLS = 2;
const PER_STREAM_CHUNK_EVENTS = 2000;

interface Database {
  db: TestDatabase;
  pool: pg.Pool;
  store: PostgresEventStore;
}

async function open(db: TestDatabase): Promise<Database> {
  const pool = new pg.Pool({ connectionString: db.url, max: 6, application_name: 'spec:tickets-projector-kill' });
  return { db, pool, store: new PostgresEventStore(pool) };
}

async function close(database: Database | undefined): Promise<void> {
  if (!database) return;
  await database.store.close();
  await endPool(database.pool);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

describe(`the projector on the registered projections, ≥ ${MIN_EVENTS.toLocaleString('en-US')} events (TICKETS_KILL_SEED=${SEED})`, () => {
  const children = new ChildProcesses();
  let workload: TicketWorkload;
  let workDir: string;
  let killed: Database | undefined;
  let pair: Database | undefined;

  const env = (database: Database, logLevel: string): Record<string, string> => ({
    DATABASE_URL: database.db.url,
    DATA_DIR: workDir,
    LOG_LEVEL: logLevel,
    PROJECTIONS_BULK_BATCH_SIZE: BULK_BATCH_SIZE,
    // The workload's tickets are long past their dues: a watchdog would append delays to the streams this spec writes and compares.
    WATCHDOG: 'off',
  });

  const startProjector = (database: Database): RunningChild =>
    children.start(distPath('apps/projector/src/main.js'), [], env(database, 'info'));

  /** The projector logged its runner of every projection it started as active (JsonLogger lines). */
  function everyRunnerActive(output: string): boolean {
    const started = /"msg":"projector started".*?"projections":\[([^\]]*)\]/.exec(output);
    if (!started) return false;
    const names = started[1].split(',').map((entry) => entry.replace(/^"|@\d+"$/g, ''));
    return names.every((name) => output.includes(`"msg":"projection runner active","projection":"${name}"`));
  }

  /** Events applied to the versions in use (live and building), over every projection. */
  async function applied(database: Database): Promise<number> {
    return (await listCheckpoints(database.pool))
      .filter((row) => row.state !== 'retired')
      .reduce((n, row) => n + Number(row.events_applied), 0);
  }

  /** Every version in use has read up to the store's head. */
  async function caughtUp(database: Database): Promise<boolean> {
    const head = await database.store.headPosition();
    const rows = (await listCheckpoints(database.pool)).filter((row) => row.state !== 'retired');
    return (
      rows.length > 0 &&
      rows.every((row) => row.position !== null && head !== undefined && database.store.comparePositions(row.position, head) >= 0)
    );
  }

  async function liveVersions(database: Database): Promise<Map<string, number>> {
    return new Map((await listCheckpoints(database.pool)).filter((row) => row.state === 'live').map((row) => [row.name, row.version]));
  }

  async function advisoryLocksHeld(database: Database): Promise<number> {
    const { rows } = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted ` +
        `AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return rows[0].n;
  }

  /**
   * The uninterrupted run: `cli rebuild` (no projector running) builds every registered
   * projection from zero into a fresh version; each table of the versions the projectors
   * built is then compared with it.
   */
  async function compareWithRebuild(database: Database): Promise<TableComparison[]> {
    const before = await liveVersions(database);
    await children.run(distPath('apps/cli/src/main.js'), ['rebuild'], env(database, 'warn'));
    const after = await liveVersions(database);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const comparisons: TableComparison[] = [];
    for (const [name, version] of before) {
      const reference = after.get(name);
      expect(reference).toBeGreaterThan(version);
      comparisons.push(...(await compareVersions(database.pool, name, version, reference ?? version)));
    }
    return comparisons;
  }

  /** The comparison may not pass for want of rows: every ticket has its row, every projection rows. */
  function expectSubstantial(comparisons: TableComparison[]): void {
    expect(comparisons.find((comparison) => comparison.projection === 'tickets' && comparison.table === 'tickets')?.rows).toBe(
      workload.tickets,
    );
    for (const name of new Set(comparisons.map((comparison) => comparison.projection))) {
      expect({
        name,
        rows: comparisons.filter((comparison) => comparison.projection === name).reduce((n, comparison) => n + comparison.rows, 0) > 0,
      }).toEqual({ name, rows: true });
    }
  }

  beforeAll(async () => {
    console.log(`tickets projector kill spec: TICKETS_KILL_SEED=${SEED}`);
    const started = performance.now();
    workload = ticketWorkload({ seed: SEED, minEvents: MIN_EVENTS });
    workDir = mkdtempSync(path.join(tmpdir(), 'bildirim-tickets-kill-'));
    const source = await createTestDatabase('tickets_kill');
    const seeding = await open(source);
    await migrateEventStore(seeding.pool);
    await migrateProjections(seeding.pool);
    const appended = await appendTickets(seeding.store, workload.initial);
    await close(seeding);
    const twin = await cloneTestDatabase(source, 'tickets_kill_pair');
    killed = await open(source);
    pair = await open(twin);
    console.log(
      `seeded ${appended.toLocaleString('en-US')} of ${workload.events.toLocaleString('en-US')} events ` +
        `(${workload.tickets.toLocaleString('en-US')} tickets; ` +
        `${workload.later.length} appends held back for live appends) and copied the database, in ${seconds(started)}`,
    );
  }, 600_000);

  afterAll(async () => {
    children.killAll();
    for (const database of [killed, pair]) {
      await close(database);
      await database?.db.drop();
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('killed with SIGKILL at random moments of the catch-up and restarted, ends with the tables of an uninterrupted run', async () => {
    const database = killed;
    if (!database) throw new Error('no database');
    const started = performance.now();
    const random = seededRandom(SEED);
    const live = slices(workload.later, KILLS);
    const cuts: Array<{ applied: number; caughtUp: boolean }> = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const before = await applied(database);
      const projector = startProjector(database);
      // Kill only once this run has committed something, at a random moment after that.
      await eventually(
        `run ${kill + 1} applies events (seed ${SEED})\n${projector.output()}`,
        async () => (await applied(database)) > before,
        60_000,
      );
      await pause(Math.floor(random() * MAX_KILL_DELAY_MS));
      projector.child.kill('SIGKILL');
      expect((await projector.exited).signal).toBe('SIGKILL');
      cuts.push({ applied: await applied(database), caughtUp: await caughtUp(database) });
      // Live appends between the kills: later events of tickets projected already.
      await appendTickets(database.store, live[kill]);
    }
    const last = startProjector(database);
    await eventually(`the last run caught up (seed ${SEED})`, () => caughtUp(database), 300_000);
    last.child.kill('SIGTERM');
    expect(await last.exited).toEqual({ code: 0, signal: null });
    // The stopped projector freed its locks.
    expect(await advisoryLocksHeld(database)).toBe(0);
    const total = await applied(database);
    console.log(
      `killed ${KILLS} times (seed ${SEED}) after ` +
        `${cuts.map((cut) => `${cut.applied.toLocaleString('en-US')}${cut.caughtUp ? ' (caught up)' : ''}`).join(', ')} ` +
        `of ${total.toLocaleString('en-US')} events applied; caught up in ${seconds(started)}`,
    );
    // The first kill at least cut a catch-up (the rest depends on the machine's speed).
    expect(cuts[0].caughtUp).toBe(false);

    const comparing = performance.now();
    const comparisons = await compareWithRebuild(database);
    console.log(`rebuilt and compared ${comparisons.length} tables in ${seconds(comparing)}`);
    expectSubstantial(comparisons);
    expect(comparisons).toEqual(identical(comparisons));
  }, 900_000);

  it('a per-stream `cli rebuild` killed mid-phase, continued by `cli rebuild` then the projector, ends equal', async () => {
    // After the first test: its `cli rebuild` (uninterrupted, per stream) left the live versions compared here.
    const database = killed;
    if (!database) throw new Error('no database');
    const started = performance.now();
    const random = seededRandom(SEED + 2);
    const before = await liveVersions(database);
    // Small chunks: a 100k-event phase takes dozens of them, so a kill lands inside it.
    const rebuildEnv = { ...env(database, 'warn'), PROJECTIONS_PER_STREAM_CHUNK_EVENTS: String(PER_STREAM_CHUNK_EVENTS) };
    const progress = async (): Promise<string[]> =>
      (
        await database.pool.query<{ last: string }>(
          `SELECT name || ':' || last_stream_id AS last FROM projections.per_stream_builds WHERE last_stream_id IS NOT NULL ORDER BY name`,
        )
      ).rows.map((row) => row.last);
    const cuts: string[][] = [];
    for (let kill = 0; kill < PER_STREAM_KILLS; kill++) {
      const seen = (await progress()).join();
      const rebuild = children.start(distPath('apps/cli/src/main.js'), ['rebuild'], rebuildEnv);
      // Kill only once this run has committed a chunk of its own.
      await eventually(
        `cli rebuild ${kill + 1} commits a per-stream chunk (seed ${SEED})\n${rebuild.output()}`,
        async () => {
          const now = (await progress()).join();
          return now !== '' && now !== seen;
        },
        120_000,
      );
      await pause(Math.floor(random() * 200));
      rebuild.child.kill('SIGKILL');
      expect((await rebuild.exited).signal).toBe('SIGKILL');
      if (kill > 0) expect(rebuild.output()).toContain('continuing the build of version');
      cuts.push(await progress());
    }
    // No projection's phase had ended at the last kill: the projector has a phase to continue.
    expect(cuts.at(-1)?.length).toBeGreaterThan(0);
    const projector = children.start(distPath('apps/projector/src/main.js'), [], {
      ...env(database, 'info'),
      PROJECTIONS_PER_STREAM_CHUNK_EVENTS: String(PER_STREAM_CHUNK_EVENTS),
    });
    await eventually(
      `the projector finished the interrupted rebuild (seed ${SEED})\n${projector.output()}`,
      async () => {
        const live = await liveVersions(database);
        return (
          [...before].every(([name, version]) => (live.get(name) ?? version) > version) &&
          (await progress()).length === 0 &&
          (await caughtUp(database))
        );
      },
      300_000,
    );
    projector.child.kill('SIGTERM');
    expect(await projector.exited).toEqual({ code: 0, signal: null });
    console.log(
      `per-stream rebuild killed ${PER_STREAM_KILLS} times (seed ${SEED}) at ${cuts.map((cut) => cut.join(' ')).join('; ')}; ` +
        `finished by the projector in ${seconds(started)}`,
    );
    const after = await liveVersions(database);
    const comparisons: TableComparison[] = [];
    for (const [name, version] of before)
      comparisons.push(...(await compareVersions(database.pool, name, after.get(name) ?? version, version)));
    expectSubstantial(comparisons);
    expect(comparisons).toEqual(identical(comparisons));
  }, 900_000);

  it('two projectors at once: one runs, the other stands by and finishes when the active one is killed mid-way', async () => {
    const database = pair;
    if (!database) throw new Error('no database');
    const started = performance.now();
    const random = seededRandom(SEED + 1);
    const [duringBoth, afterKill] = slices(workload.later, 2);
    const first = startProjector(database);
    // Every runner of the first active, not just one applying: a projection whose tables take a while to create would go to the second.
    await eventually(
      `the first projector applies events with every runner active (seed ${SEED})\n${first.output()}`,
      async () => everyRunnerActive(first.output()) && (await applied(database)) > 0,
      60_000,
    );
    const second = startProjector(database);
    await eventually(
      `the second projector stands by (seed ${SEED})\n${second.output()}`,
      () => second.output().includes('standing by'),
      60_000,
    );
    expect(second.output()).not.toContain('projection runner active');
    await appendTickets(database.store, duringBoth);
    await pause(Math.floor(random() * MAX_KILL_DELAY_MS));
    expect(await caughtUp(database)).toBe(false);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const cut = await applied(database);
    await appendTickets(database.store, afterKill);

    await eventually(`the standby caught up alone (seed ${SEED})\n${second.output()}`, () => caughtUp(database), 300_000);
    expect(second.output()).toContain('projection runner active');
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(await advisoryLocksHeld(database)).toBe(0);
    console.log(
      `two projectors: the active one killed after ${cut.toLocaleString('en-US')} of ` +
        `${(await applied(database)).toLocaleString('en-US')} events applied; the standby finished, in ${seconds(started)}`,
    );

    const comparisons = await compareWithRebuild(database);
    expectSubstantial(comparisons);
    expect(comparisons).toEqual(identical(comparisons));
  }, 900_000);
});
