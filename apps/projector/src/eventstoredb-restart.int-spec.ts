import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { EventStoreUnavailableError, type EventStore } from '#event-store';
import { EventStoreDbEventStore } from '#event-store/eventstoredb/index.js';
import { startDouble, type EventStoreDbDouble } from '#event-store/eventstoredb/testing/double/index.js';
import { createRegistry } from '#projections/registry.js';
import { endPool } from '#read-model/postgres/close-pools.js';
import {
  listCheckpoints,
  migrateProjections,
  physicalTableName,
  ProjectionDaemon,
  PROJECTIONS_SCHEMA,
  type CheckpointRow,
} from '#read-model/projections/index.js';
import { eventually, recordingLog, type LogLine } from '#read-model/projections/testing/projection-fixtures.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { referenceSeedAppends } from '#workload';
import { appendTickets, ticketWorkload, type TicketWorkload } from './testing/ticket-workload.js';

/*
 * Issue 9's acceptance: EventStoreDB stopped while the projections catch up, started again with
 * the same data. The runners of every registered projection (a ProjectionDaemon, as the projector
 * process runs it) read the double through the EventStoreDB adapter; the double is stopped once a
 * checkpoint has moved and before they are done, the runners must log the failed reads and keep
 * retrying, and after `start()` and the rest of the workload they must reach the head and hold
 * the same rows as an uninterrupted run on another double, with every event applied once.
 *
 * The stores' positions differ (a restarted double writes system events of its own), so only
 * projections.checkpoints differs between the runs (position, timestamps): it is not compared;
 * no projection table holds a position or a recording time.
 *
 * ESDB_RESTART_SEED=<the printed seed> replays the workload.
 */

const SEED = process.env.ESDB_RESTART_SEED ? Number(process.env.ESDB_RESTART_SEED) : Math.floor(Math.random() * 2 ** 31);
const MIN_EVENTS = 4000;
/** Small batches: the catch-up has many checkpoints, so the stop falls between two of them. */
const BATCH_SIZE = 50;
/** Failed reads each runner logs before the double comes back: it retried, with its back-off. */
const FAILURES_BEFORE_START = 2;
const READ_FAILED = 'reading the event store failed; retrying';
const REGISTRY = createRegistry({ reportingTimeZone: 'Europe/Istanbul' });

interface Run {
  double: EventStoreDbDouble;
  db: TestDatabase;
  pool: pg.Pool;
  /** what the runners read through */
  store: EventStoreDbEventStore;
  /** what the workload is appended through, as the API would */
  writer: EventStoreDbEventStore;
  daemon: ProjectionDaemon;
  lines: LogLine[];
}

async function startRun(label: string): Promise<Run> {
  const double = await startDouble();
  const db = await createTestDatabase(`esdb_restart_${label}`);
  const pool = new pg.Pool({ connectionString: db.url, max: 6, application_name: `spec:esdb-restart-${label}` });
  await migrateProjections(pool);
  const { log, lines } = recordingLog();
  const store = EventStoreDbEventStore.connect(double.connectionString, { resubscribe: { initialDelayMs: 100, maxDelayMs: 1000 } });
  const writer = EventStoreDbEventStore.connect(double.connectionString);
  const daemon = new ProjectionDaemon({ pool, store }, REGISTRY, { runner: { batchSize: BATCH_SIZE, bulkBatchSize: BATCH_SIZE }, log });
  return { double, db, pool, store, writer, daemon, lines };
}

async function endRun(run: Run | undefined): Promise<void> {
  if (!run) return;
  await run.daemon.stop();
  await run.store.close();
  await run.writer.close();
  await run.double.close();
  await endPool(run.pool);
  await run.db.drop();
}

async function checkpoints(run: Run): Promise<CheckpointRow[]> {
  return (await listCheckpoints(run.pool)).filter((row) => row.state !== 'retired');
}

/** Every version in use has read up to the store's head. */
async function caughtUp(run: Run, store: EventStore = run.store): Promise<boolean> {
  const head = await store.headPosition();
  const rows = await checkpoints(run);
  return (
    head !== undefined &&
    rows.length === REGISTRY.length &&
    rows.every((row) => row.position !== null && store.comparePositions(row.position, head) >= 0)
  );
}

function failedReads(run: Run, projection: string): number {
  return run.lines.filter((line) => line.msg === READ_FAILED && line.fields.projection === projection).length;
}

/** Every row of every table of every projection version in use, as text: `<projection>.<table>` → rows. */
async function tableRows(run: Run): Promise<Map<string, string[]>> {
  const tables = new Map<string, string[]>();
  for (const row of await checkpoints(run)) {
    for (const table of row.tables) {
      // A notification keeps its event's global position, which each run's store numbers its own way: compared without it.
      const { rows } = await run.pool.query<{ r: string }>(
        `SELECT (to_jsonb(t) - 'position')::text AS r FROM ${physicalTableName(table, row.version)} t`,
      );
      tables.set(
        `${row.name}.${table}`,
        rows.map((r) => r.r),
      );
    }
  }
  return tables;
}

/** The projections schema's tables other than the engine's own: the comparison misses none. */
async function projectionTablesInSchema(run: Run): Promise<string[]> {
  const { rows } = await run.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'checkpoints'
      ORDER BY 1`,
    [PROJECTIONS_SCHEMA],
  );
  return rows.map((row) => row.table_name);
}

/** Rows one side has and the other lacks, counted with duplicates, with a few to look at. */
function difference(here: string[], there: string[]): { only: number; sample: string[] } {
  const counts = new Map<string, number>();
  for (const row of there) counts.set(row, (counts.get(row) ?? 0) + 1);
  const only: string[] = [];
  for (const row of here) {
    const left = counts.get(row) ?? 0;
    if (left > 0) counts.set(row, left - 1);
    else only.push(row);
  }
  return { only: only.length, sample: only.slice(0, 3) };
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** The reference data goes first, as it precedes the tickets that could name it (every reference table gets rows). */
async function appendReference(run: Run): Promise<void> {
  for (const append of referenceSeedAppends()) await run.writer.append(append.streamId, append.events, { expectedRevision: 'no_stream' });
}

describe(`projections over EventStoreDB (the double) stopped mid catch-up and started again (ESDB_RESTART_SEED=${SEED})`, () => {
  let workload: TicketWorkload;
  let reference: Run | undefined;
  let referenceRows: Map<string, string[]>;
  const runs: Run[] = [];

  beforeAll(async () => {
    console.log(`eventstoredb restart spec: ESDB_RESTART_SEED=${SEED}`);
    const started = performance.now();
    // A third of the tickets' second halves held back: the part appended after the restart is substantial.
    workload = ticketWorkload({ seed: SEED, minEvents: MIN_EVENTS, heldBackShare: 0.35 });
    // The uninterrupted run: the same appends in the same order (one writer) on a double that never stops.
    reference = await startRun('reference');
    await appendReference(reference);
    await appendTickets(reference.writer, workload.initial, 1);
    await appendTickets(reference.writer, workload.later, 1);
    const appended = performance.now();
    await reference.daemon.start();
    const run = reference;
    await eventually(`the uninterrupted run caught up (seed ${SEED})`, () => caughtUp(run), 120_000);
    referenceRows = await tableRows(reference);
    console.log(
      `uninterrupted run: ${workload.events} events of ${workload.tickets} tickets ` +
        `(${workload.later.length} appends held back) appended in ${((appended - started) / 1000).toFixed(1)} s, ` +
        `projected in ${seconds(appended)}`,
    );
  }, 300_000);

  afterAll(async () => {
    for (const run of runs) await endRun(run);
    await endRun(reference);
  });

  it.each([
    ['gracefully', false],
    ['abruptly', true],
  ])(
    'stopped %s while the runners catch up: they retry, resume from their checkpoints and end identical to an uninterrupted run',
    async (_how, abruptly) => {
      const started = performance.now();
      const run = await startRun(abruptly ? 'abrupt' : 'graceful');
      runs.push(run);
      await appendReference(run);
      const initial = await appendTickets(run.writer, workload.initial, 1);
      await run.daemon.start();

      // Stop once every checkpoint has moved (each runner resumes from one), while the runners are still behind.
      await eventually(
        `every checkpoint moved (seed ${SEED})`,
        async () => {
          const rows = await checkpoints(run);
          return rows.length === REGISTRY.length && rows.every((row) => Number(row.events_applied) > 0);
        },
        60_000,
      );
      await run.double.stop({ abruptly });
      const atStop = await checkpoints(run);
      const appliedAtStop = atStop.map((row) => `${row.name} ${row.events_applied}`);
      expect(atStop.every((row) => Number(row.events_applied) === initial)).toBe(false);

      // Down: every runner logs its failed reads and keeps retrying, none ends.
      await eventually(
        `every runner logged ${FAILURES_BEFORE_START} failed reads (seed ${SEED})`,
        () => REGISTRY.every((projection) => failedReads(run, projection.name) >= FAILURES_BEFORE_START),
        60_000,
      );
      expect(
        run.daemon
          .runnerStates()
          .map((state) => `${state.name} ${state.phase}`)
          .sort(),
      ).toEqual(REGISTRY.map((projection) => `${projection.name} active`).sort());
      // Appending is refused while it is down (the API answers 503); the same append succeeds after the start.
      const [first] = workload.later;
      await expect(
        run.writer.append(first.streamId, first.events, { expectedRevision: first.revision === 0 ? 'no_stream' : first.revision - 1 }),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
      const downFor = performance.now();
      await run.double.start();

      const rest = await appendTickets(run.writer, workload.later, 1);
      await eventually(`every checkpoint reached the head after the restart (seed ${SEED})`, () => caughtUp(run), 120_000);
      expect(run.lines.filter((line) => line.level === 'error')).toEqual([]);
      console.log(
        `stopped ${abruptly ? 'abruptly' : 'gracefully'} at ${appliedAtStop.join(', ')} of ${initial} events; ` +
          `${REGISTRY.map((projection) => `${projection.name} ${failedReads(run, projection.name)}`).join(', ')} failed reads logged; ` +
          `after the start ${rest} more appended and caught up in ${seconds(downFor)}; ${seconds(started)} in all (seed ${SEED})`,
      );

      // Each event applied once: every projection reads every ticket event type, and the reference events of the types it reads.
      const referenceTypes = referenceSeedAppends().flatMap((append) => append.events.map((event) => event.type));
      const applied = new Map((await checkpoints(run)).map((row) => [row.name, Number(row.events_applied)]));
      expect(Object.fromEntries(applied)).toEqual(
        Object.fromEntries(
          REGISTRY.map((projection) => [
            projection.name,
            workload.events + referenceTypes.filter((type) => projection.eventTypes.includes(type)).length,
          ]),
        ),
      );

      // Row for row what the uninterrupted run holds, and no projection table left out.
      expect(await projectionTablesInSchema(run)).toEqual(reference && (await projectionTablesInSchema(reference)));
      const rows = await tableRows(run);
      expect([...rows.keys()].sort()).toEqual([...referenceRows.keys()].sort());
      expect(rows.get('tickets.tickets')?.length).toBe(workload.tickets);
      const comparisons = [...referenceRows].map(([table, theirs]) => {
        const ours = rows.get(table) ?? [];
        const onlyHere = difference(ours, theirs);
        const onlyInReference = difference(theirs, ours);
        return { table, rows: ours.length, referenceRows: theirs.length, onlyHere, onlyInReference };
      });
      for (const comparison of comparisons) expect(comparison.referenceRows).toBeGreaterThan(0);
      expect(comparisons).toEqual(
        comparisons.map((comparison) => ({
          ...comparison,
          rows: comparison.referenceRows,
          onlyHere: { only: 0, sample: [] },
          onlyInReference: { only: 0, sample: [] },
        })),
      );
    },
    300_000,
  );
});
