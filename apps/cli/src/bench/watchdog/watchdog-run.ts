import pg from 'pg';
import { Watchdog, type WatchdogLog } from '#automation';
import { bulkLoad } from '#event-store/postgres/bulk-load.js';
import { migrateEventStore } from '#event-store/postgres/migrate.js';
import { PostgresEventStore } from '#event-store/postgres/postgres-event-store.js';
import { ReferenceStore, type Clock } from '#platform';
import { createDeadlinesProjection } from '#projections/deadlines/deadlines.projection.js';
import { createReadModelDataSource, destroyDataSource, migrateReadModel } from '#read-model';
import { endPool } from '#read-model/postgres/close-pools.js';
import { listCheckpoints, migrateProjections, ProjectionDaemon, silentLog } from '#read-model/projections/index.js';
import { percentile } from '../shared/measure.js';
import { watchdogWorkload, type PlannedDue } from './watchdog-workload.js';
import { backendsCpu, cpuDelta } from '../shared/process-cpu.js';

const HOUR = 3_600_000;
/** The virtual hour's first instant: fixed, so a seed gives the same tickets and due times on every run. */
const VIRTUAL_START = Date.parse('2026-03-02T09:00:00.000Z');

export interface WatchdogRunOptions {
  url: string;
  tickets: number;
  /** virtual milliseconds per wall-clock millisecond */
  speed: number;
  /** WATCHDOG_INTERVAL */
  intervalMs: number;
  seed: number;
  /** after the virtual hour, how long the watchdog may write nothing before what is left counts as missed */
  stallMs: number;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface Latencies {
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface WatchdogRunResult {
  tickets: number;
  events: number;
  dues: Record<string, number>;
  speed: number;
  intervalMs: number;
  seed: number;
  seedSeconds: number;
  catchUpSeconds: number;
  /** wall-clock seconds from the watchdog's start to its stop */
  runSeconds: number;
  delays: number;
  /** TicketBreachWarned events the watchdog wrote besides (the built-in policy warns at 75% and 90% of each target) */
  warnings: number;
  /** detection latency in ms: the append's commit time − the wall-clock moment the virtual clock passed the due */
  latencyMs: Latencies;
  /** delays per wall-clock second between the first and the last append */
  delaysPerSecond: number;
  /** the bench process (watchdog and the deadlines projection's runner): CPU time / wall time over the run */
  processCpuShare: number;
  /** the bench's PostgreSQL backends (from /proc), CPU time / wall time; null when they are not on this machine */
  postgresCpuShare: number | null;
  missed: number;
  duplicates: number;
  /** delays whose dueAt is not their ticket's planned due */
  wrongDue: number;
  watchdogErrors: number;
}

/** The watchdog's "now": the virtual hour runs `speed` times faster than the wall clock from `wallStart`. */
class VirtualClock implements Clock {
  constructor(
    readonly wallStart: number,
    readonly speed: number,
  ) {}
  now(): Date {
    return new Date(VIRTUAL_START + (Date.now() - this.wallStart) * this.speed);
  }
  /** When, on the wall clock, the virtual clock passes `virtual`. */
  wallAt(virtual: number): number {
    return this.wallStart + (virtual - VIRTUAL_START) / this.speed;
  }
}

/**
 * One run of `bench watchdog` on an empty database at `url`: seeds the tickets (bulk load), runs
 * the deadlines projection to the head, then runs the SLA watchdog in this process on a virtual
 * clock through the hour of due times, the projection following live as in the projector.
 */
export async function runWatchdogBench(options: WatchdogRunOptions): Promise<WatchdogRunResult> {
  const { log } = options;
  // Pool connections stay open, so their backends' CPU can be read at the end.
  const pool = new pg.Pool({ connectionString: options.url, max: 8, idleTimeoutMillis: 0, application_name: 'bench:watchdog' });
  const store = new PostgresEventStore(pool);
  let daemon: ProjectionDaemon | undefined;
  let watchdog: Watchdog | undefined;
  try {
    await migrateEventStore(pool);
    await migrateProjections(pool);
    // The reference catalogue's version table (the watchdog reads the catalogue as the API does).
    const dataSource = createReadModelDataSource({ url: options.url, applicationName: 'bench:watchdog', entities: [] });
    await dataSource.initialize();
    try {
      await migrateReadModel(dataSource);
    } finally {
      await destroyDataSource(dataSource);
    }
    const seeding = performance.now();
    const workload = watchdogWorkload(options.tickets, options.seed, VIRTUAL_START);
    await bulkLoad(pool, workload.appends, { eventsPerBatch: 10_000 });
    const seedSeconds = (performance.now() - seeding) / 1000;
    log(`seeded ${workload.appends.length} tickets, ${workload.events} events in ${seedSeconds.toFixed(1)} s`);

    const catchingUp = performance.now();
    daemon = new ProjectionDaemon({ pool, store }, [createDeadlinesProjection()], { log: silentLog });
    await daemon.start();
    if (!(await waitFor(async () => caughtUp(pool, store), 600_000)))
      throw new Error('the deadlines projection did not reach the head within 10 minutes');
    const catchUpSeconds = (performance.now() - catchingUp) / 1000;
    log(`deadlines projection at the head in ${catchUpSeconds.toFixed(1)} s`);

    let watchdogErrors = 0;
    const watchdogLog: WatchdogLog = (level, msg, fields) => {
      if (level === 'error' || level === 'warn') {
        watchdogErrors += 1;
        // The first few tell what goes wrong; the count says how often.
        if (watchdogErrors <= 5) log(`watchdog ${level}: ${msg}`, fields);
      }
    };
    await warmPool(pool);
    const clock = new VirtualClock(Date.now(), options.speed);
    const postgresBefore = await backendsCpu(pool);
    const cpuBefore = process.cpuUsage();
    watchdog = new Watchdog({
      pool,
      store,
      reference: new ReferenceStore(store, pool),
      referenceMode: 'auto',
      clock,
      intervalMs: options.intervalMs,
      log: watchdogLog,
    });
    watchdog.start();
    const hourEnds = clock.wallAt(VIRTUAL_START + HOUR);
    for (;;) {
      await pause(Math.min(10_000, Math.max(100, hourEnds - Date.now())));
      const written = await delaysWritten(pool);
      log(
        `virtual ${clock.now().toISOString().slice(11, 19)}: ${written} of ${options.tickets} delays, ` +
          `${dueBy(workload.dues, clock.now().getTime())} due`,
      );
      if (Date.now() >= hourEnds) break;
    }
    // A watchdog behind the clock works through its backlog; what is unwritten once it stalls counts as missed below.
    let last = -1;
    let lastMoved = Date.now();
    let lastLogged = Date.now();
    for (;;) {
      const written = await delaysWritten(pool);
      if (written >= options.tickets) break;
      if (written !== last) [last, lastMoved] = [written, Date.now()];
      else if (Date.now() - lastMoved > options.stallMs) break;
      await pause(Math.min(1_000, options.stallMs));
      if (Date.now() - lastLogged >= 10_000) {
        lastLogged = Date.now();
        log(`after the hour: ${written} of ${options.tickets} delays`);
      }
    }
    await watchdog.stop();
    watchdog = undefined;
    const wall = Date.now() - clock.wallStart;
    const cpu = process.cpuUsage(cpuBefore);
    const postgresAfter = await backendsCpu(pool);
    await daemon.stop();
    daemon = undefined;

    const stored = await storedDelays(pool);
    const { rows: warned } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM event_store.events WHERE type = 'TicketBreachWarned'`,
    );
    const check = verify(workload.dues, stored);
    const latencies = stored.map((delay) => delay.recordedAt - clock.wallAt(delay.dueAt));
    const recorded = stored.map((delay) => delay.recordedAt);
    const span = recorded.length > 1 ? (Math.max(...recorded) - Math.min(...recorded)) / 1000 : Number.NaN;
    return {
      tickets: options.tickets,
      events: workload.events,
      dues: countBy(workload.dues.map((due) => due.phase)),
      speed: options.speed,
      intervalMs: options.intervalMs,
      seed: options.seed,
      seedSeconds,
      catchUpSeconds,
      runSeconds: wall / 1000,
      delays: stored.length,
      warnings: Number(warned[0].n),
      latencyMs: {
        min: latencies.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY),
        p50: percentile(latencies, 50),
        p90: percentile(latencies, 90),
        p99: percentile(latencies, 99),
        max: latencies.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
      },
      delaysPerSecond: stored.length / span,
      processCpuShare: (cpu.user + cpu.system) / 1000 / wall,
      postgresCpuShare: postgresBefore === null || postgresAfter === null ? null : cpuDelta(postgresBefore, postgresAfter) / wall,
      ...check,
      watchdogErrors,
    };
  } finally {
    await watchdog?.stop();
    await daemon?.stop();
    await store.close();
    await endPool(pool);
  }
}

interface StoredDelay {
  streamId: string;
  phase: string;
  dueAt: number;
  /** the commit's clock_timestamp (ms) */
  recordedAt: number;
}

async function storedDelays(pool: pg.Pool): Promise<StoredDelay[]> {
  const { rows } = await pool.query<{ stream_id: string; phase: string; due_at: string; recorded_ms: string }>(
    `SELECT stream_id, data->>'phase' AS phase, data->>'dueAt' AS due_at, (extract(epoch FROM recorded_at) * 1000)::text AS recorded_ms
       FROM event_store.events WHERE type = 'TicketDelayed'`,
  );
  return rows.map((row) => ({
    streamId: row.stream_id,
    phase: row.phase,
    dueAt: Date.parse(row.due_at),
    recordedAt: Number(row.recorded_ms),
  }));
}

/** Each planned due delayed exactly once, at its own dueAt. */
function verify(dues: readonly PlannedDue[], stored: readonly StoredDelay[]): { missed: number; duplicates: number; wrongDue: number } {
  const planned = new Map(dues.map((due) => [`${due.streamId} ${due.phase}`, due.dueAt]));
  const seen = new Map<string, number>();
  let wrongDue = 0;
  for (const delay of stored) {
    const key = `${delay.streamId} ${delay.phase}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (planned.get(key) !== delay.dueAt) wrongDue += 1;
  }
  let missed = 0;
  for (const key of planned.keys()) if (!seen.has(key)) missed += 1;
  const duplicates = [...seen.values()].reduce((n, count) => n + Math.max(0, count - 1), 0);
  return { missed, duplicates, wrongDue };
}

async function delaysWritten(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_store.events WHERE type = 'TicketDelayed'`);
  return rows[0].n;
}

function dueBy(dues: readonly PlannedDue[], now: number): number {
  return dues.reduce((n, due) => n + (due.dueAt < now ? 1 : 0), 0);
}

async function caughtUp(pool: pg.Pool, store: PostgresEventStore): Promise<boolean> {
  const head = await store.headPosition();
  const rows = (await listCheckpoints(pool)).filter((row) => row.name === 'deadlines' && row.state === 'live');
  return rows.length === 1 && head !== undefined && rows[0].position !== null && store.comparePositions(rows[0].position, head) >= 0;
}

/** Opens the pool's connections before the first CPU sample, so every backend the run uses is sampled at both ends. */
async function warmPool(pool: pg.Pool): Promise<void> {
  const clients = await Promise.all(Array.from({ length: 8 }, () => pool.connect()));
  for (const client of clients) client.release();
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it holds (true) or `timeoutMs` has passed (false). */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await pause(100);
  }
  return true;
}
