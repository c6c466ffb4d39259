import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { RecordedEvent } from '#event-store';
import { EventStoreDbEventStore } from '#event-store/eventstoredb/index.js';
import { startDouble, type EventStoreDbDouble } from '#event-store/eventstoredb/testing/double/index.js';
import { bulkLoad } from '#event-store/postgres/bulk-load.js';
import { migrateEventStore, PostgresEventStore } from '#event-store/postgres/index.js';
import { endPool } from '#read-model/postgres/close-pools.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { REFERENCE_STREAM_PREFIX, TICKET_STREAM_PREFIX } from '#ticketing';
import { referenceSeedAppends, seedAppends, type SeedWorkload } from '#workload';

/**
 * Issue 9's acceptance: `copy-events` of a 100,000-event PostgreSQL store onto EventStoreDB (the
 * in-process double), killed once mid-way and run again: the same events per stream; the
 * projections rebuilt from EventStoreDB equal those rebuilt from PostgreSQL, table for table.
 * Everything goes through the built CLI (`npm test` builds first). COPY_TICKETS and COPY_SEED
 * change the generated workload.
 */
const WORKLOAD: SeedWorkload = {
  tickets: Number(process.env.COPY_TICKETS ?? 12_000),
  seed: Number(process.env.COPY_SEED ?? 20260917),
  start: new Date('2026-02-02T00:00:00Z'),
  days: 60,
};
const MIN_EVENTS = 100_000;
/** The first run is killed once the checkpoint has passed this many events. */
const KILL_AFTER = 30_000;

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../dist/apps/cli/src/main.js');
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Instance-specific or wall-clock columns of projections.checkpoints, left out of the comparison (see the test). */
const CHECKPOINT_COLUMNS = 'name, version, definition_version, state, events_seen, events_applied, event_types, tables';

describe('copy-events onto EventStoreDB at 100,000 events, killed once and resumed', () => {
  let source: TestDatabase;
  let fromEventStoreDb: TestDatabase;
  let sourcePool: pg.Pool;
  let double: EventStoreDbDouble;
  let dataDir: string;
  let events = 0;
  let streams = 0;
  const figures: string[] = [];

  function env(database: TestDatabase, eventStoreDb = false): NodeJS.ProcessEnv {
    const store = eventStoreDb ? { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: double.connectionString } : {};
    return { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...store };
  }

  async function cli(processEnv: NodeJS.ProcessEnv, ...args: string[]): Promise<Outcome> {
    return run(process.execPath, [CLI, ...args], { env: processEnv, maxBuffer: 64 * 1024 * 1024 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  }

  /** The streams copy-events copies: the tickets' and the reference data's. */
  const copiedStream = (streamId: string): boolean =>
    streamId.startsWith(TICKET_STREAM_PREFIX) || streamId.startsWith(REFERENCE_STREAM_PREFIX);
  const copiedEventsInDouble = (): number => double.events().filter((event) => copiedStream(event.streamId)).length;

  const copied = async (): Promise<number> => {
    const { rows } = await sourcePool.query<{ n: string }>('SELECT coalesce(max(events_copied), 0) AS n FROM event_store.copies');
    return Number(rows[0].n);
  };

  beforeAll(async () => {
    process.stdout.write(`copy-events 100k: workload of ${WORKLOAD.tickets} tickets, seed ${WORKLOAD.seed}\n`);
    [source, fromEventStoreDb] = await Promise.all([createTestDatabase('copy100k_source'), createTestDatabase('copy100k_esdb_reads')]);
    dataDir = mkdtempSync(path.join(tmpdir(), 'bildirim-copy100k-'));
    sourcePool = new pg.Pool({ connectionString: source.url, max: 4 });
    await migrateEventStore(sourcePool);
    // The reference data first (as it precedes the tickets), so every reference table has rows to compare.
    const loaded = await bulkLoad(sourcePool, [...referenceSeedAppends(), ...seedAppends(WORKLOAD)], { eventsPerBatch: 10_000 });
    events = loaded.events;
    streams = loaded.streams;
    double = await startDouble();
  }, 300_000);

  afterAll(async () => {
    process.stdout.write(`${figures.join('\n')}\n`);
    await double?.close();
    if (sourcePool) await endPool(sourcePool);
    await Promise.all([source, fromEventStoreDb].filter((database) => database !== undefined).map((database) => database.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies every event once despite a SIGKILL mid-way, verifies, and copies nothing the third time', async () => {
    expect(events).toBeGreaterThanOrEqual(MIN_EVENTS);

    // The first run is killed outright (no chance to finish its batch) once its checkpoint has passed KILL_AFTER.
    const first = spawn(process.execPath, [CLI, 'copy-events', '--to', double.connectionString], {
      env: env(source),
      stdio: 'ignore',
    });
    const exited = once(first, 'exit');
    const startedAt = performance.now();
    while (first.exitCode === null && (await copied()) < KILL_AFTER) await new Promise((resolve) => setTimeout(resolve, 100));
    first.kill('SIGKILL');
    const firstSeconds = (performance.now() - startedAt) / 1000;
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect(signal).toBe('SIGKILL');
    const checkpoint = await copied();
    expect(checkpoint).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(checkpoint).toBeLessThan(events);
    // What the killed run appended after its last checkpoint, the second run appends again.
    const inTargetAtKill = copiedEventsInDouble();
    figures.push(`copy-events 100k: the first run, SIGKILLed after ${firstSeconds.toFixed(1)} s, had copied ${inTargetAtKill} events`);
    expect(inTargetAtKill).toBeGreaterThanOrEqual(checkpoint);
    expect(inTargetAtKill).toBeLessThan(events);

    const resumedAt = performance.now();
    const second = await cli(env(source), 'copy-events', '--to', double.connectionString);
    figures.push(`copy-events 100k: the resumed run (copy and verification) took ${Math.round((performance.now() - resumedAt) / 1000)} s`);
    expect(second.stderr).toContain(`copy-events: continuing after ${checkpoint.toLocaleString('en-US')} events, copying`);
    expect(second).toMatchObject({ code: 0, stdout: expect.stringContaining(`(continued after ${checkpoint.toLocaleString('en-US')}`) });
    const line = /copy-events: ([\d,]+) events copied, ([\d,]+) skipped as already there, .* \(([\d,]+) events\/s\)/.exec(second.stdout);
    if (!line) throw new Error(`no summary line in:\n${second.stdout}`);
    figures.push(`copy-events 100k: killed after ${checkpoint} events checkpointed (${inTargetAtKill} in the target); resumed: ${line[0]}`);
    const [appended, skipped] = [Number(line[1].replaceAll(',', '')), Number(line[2].replaceAll(',', ''))];
    expect(appended + skipped).toBe(events - checkpoint);
    // The events the killed run appended after its last checkpoint are appended again at the same
    // revisions: EventStoreDB answers that as a success without writing (idempotent by expected revision
    // and ids), which the adapter cannot tell from a write, so they count as copied, not skipped. The
    // target holding each event once (below, and the verification) is what shows they were not written twice.
    expect(skipped).toBe(0);
    expect(second.stdout).toContain(
      `the target holds all ${events.toLocaleString('en-US')} events of the source's ticket and reference-data streams`,
    );
    expect(second.stdout).toContain(
      `verified: both stores hold the same ${events.toLocaleString('en-US')} events in ${streams.toLocaleString('en-US')} streams`,
    );
    expect(copiedEventsInDouble()).toBe(events);

    // Stream by stream through both adapters: ids, types, data, metadata and revisions (positions and
    // recording times are each store's own).
    const comparedAt = performance.now();
    const target = EventStoreDbEventStore.connect(double.connectionString);
    const sourceStore = new PostgresEventStore(sourcePool);
    const essence = ({ streamId, revision, eventId, type, data, metadata }: RecordedEvent) => ({
      streamId,
      revision,
      eventId,
      type,
      data,
      metadata,
    });
    try {
      const { rows } = await sourcePool.query<{ stream_id: string }>('SELECT DISTINCT stream_id FROM event_store.events ORDER BY 1');
      expect(rows).toHaveLength(streams);
      const targetStreams = new Set(
        double
          .events()
          .map((event) => event.streamId)
          .filter(copiedStream),
      );
      expect([...targetStreams].sort()).toEqual(rows.map((row) => row.stream_id));
      let compared = 0;
      const differing: string[] = [];
      // Sixteen streams at a time: one by one, the round trips alone took most of a minute.
      const inFlight = 16;
      for (let start = 0; start < rows.length; start += inFlight) {
        await Promise.all(
          rows.slice(start, start + inFlight).map(async ({ stream_id: streamId }) => {
            const [fromSource, fromTarget] = await Promise.all([sourceStore.readStream(streamId), target.readStream(streamId)]);
            if (!isDeepStrictEqual(fromSource.map(essence), fromTarget.map(essence))) differing.push(streamId);
            compared += fromSource.length;
          }),
        );
      }
      expect(differing).toEqual([]);
      expect(compared).toBe(events);
      const seconds = Math.round((performance.now() - comparedAt) / 1000);
      figures.push(`copy-events 100k: ${rows.length} streams compared through both adapters in ${seconds} s`);
    } finally {
      await target.close();
    }

    const third = await cli(env(source), 'copy-events', '--to', double.connectionString);
    expect(third).toMatchObject({ code: 0, stdout: expect.stringContaining('0 events copied, 0 skipped as already there, 0 streams') });
    expect(copiedEventsInDouble()).toBe(events);
  }, 600_000);

  it('rebuilds from EventStoreDB the same read-model tables as from PostgreSQL', async () => {
    // Two databases, two processes: side by side.
    const [fromPostgres, fromDouble] = await Promise.all([cli(env(source), 'rebuild'), cli(env(fromEventStoreDb, true), 'rebuild')]);
    expect(fromPostgres.code).toBe(0);
    expect(fromDouble.code).toBe(0);
    // PostgreSQL's events table says nothing about EventStoreDB: the total is unknown, so no percentage and no "from 0 events".
    expect(fromPostgres.stderr).toMatch(/building version \d+ from [\d,]+ events/);
    expect(fromDouble.stderr).not.toMatch(/building version \d+ from/);
    expect(fromDouble.stderr).not.toContain('%');
    for (const summary of fromDouble.stdout.trim().split('\n')) figures.push(`rebuild from EventStoreDB: ${summary}`);
    for (const summary of fromPostgres.stdout.trim().split('\n')) figures.push(`rebuild from PostgreSQL: ${summary}`);

    const tablesOf = async (database: TestDatabase): Promise<Record<string, string[]>> => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows: tables } = await client.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'projections' AND table_type = 'BASE TABLE'
              AND table_name NOT IN ('checkpoints', 'per_stream_builds') ORDER BY 1`,
        );
        const contents: Record<string, string[]> = {};
        for (const { table_name: table } of tables) {
          // jsonb's text is canonical (keys in a fixed order), so sorting it orders the rows the same on both sides.
          // A notification keeps its event's global position, which each store numbers its own way: compared without it.
          const { rows } = await client.query<{ row: string }>(
            `SELECT (to_jsonb(t) - 'position')::text AS row FROM projections.${client.escapeIdentifier(table)} t ORDER BY 1`,
          );
          contents[table] = rows.map((row) => row.row);
        }
        const { rows: checkpoints } = await client.query<{ row: string }>(
          `SELECT to_jsonb(c)::text AS row FROM (SELECT ${CHECKPOINT_COLUMNS} FROM projections.checkpoints) c ORDER BY 1`,
        );
        contents['checkpoints (without positions and times)'] = checkpoints.map((row) => row.row);
        // A finished rebuild leaves no per-stream phase behind (from PostgreSQL it took that path, from EventStoreDB the bulk one).
        const { rows: phases } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM projections.per_stream_builds');
        expect(phases).toEqual([{ n: 0 }]);
        return contents;
      } finally {
        await client.end();
      }
    };
    const [postgresTables, eventStoreDbTables] = await Promise.all([tablesOf(source), tablesOf(fromEventStoreDb)]);
    expect(Object.keys(postgresTables).length).toBeGreaterThan(1);
    for (const [table, rows] of Object.entries(postgresTables)) {
      expect({ table, rows: rows.length }).toEqual({ table, rows: eventStoreDbTables[table]?.length });
      expect(rows.length).toBeGreaterThan(0);
      // Not toEqual on the arrays: a difference among 100,000 rows would print them all.
      const differing = rows.findIndex((row, index) => row !== eventStoreDbTables[table][index]);
      expect({ table, differing: rows[differing], eventStoreDb: eventStoreDbTables[table][differing] }).toEqual({
        table,
        differing: undefined,
        eventStoreDb: undefined,
      });
    }
    expect(Object.keys(eventStoreDbTables)).toEqual(Object.keys(postgresTables));
  }, 600_000);
});
