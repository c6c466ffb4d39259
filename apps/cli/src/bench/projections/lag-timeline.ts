import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type pg from 'pg';
import { percentile } from '../shared/measure.js';
import { backendsCpu, cpuDelta, processCpuMs } from '../shared/process-cpu.js';

/*
 * `bench projections --only b --timeline`: what happens second by second while the lag bench
 * runs, to find what a lag stall is. Per second of the run: the commands answered and their
 * round trips and answer → visible lags (by the second they were answered in), and beside them
 * what might have stalled them: the bench's own event loop, the whole machine's CPU and the
 * share of it the API and this database's backends took, what PostgreSQL's processes were
 * waiting on (pg_stat_activity sampled every SAMPLE_MS), checkpoints and autovacuum.
 */

const SAMPLE_MS = 100;

/** One command as the lag bench saw it, ms since the load began. */
export interface CommandTimes {
  sentAt: number;
  answeredAt: number;
  /** visible in every projection; undefined when it never was */
  visibleAt: number | undefined;
}

/** What the samplers saw during one second of the run. */
export interface SecondSample {
  /** the bench's event loop: longest delay, ms */
  loopDelayMaxMs: number;
  /** the whole machine: share of CPU time busy (all cores), 0–1 */
  machineBusy: number;
  /** runnable tasks on the machine at the second's end (/proc/stat procs_running) */
  runnable: number;
  /** CPU ms this bench process used (it sends the load and polls the checkpoints) */
  benchCpuMs: number;
  /** CPU ms the API process used */
  apiCpuMs: number | null;
  /** CPU ms this database's client backends used */
  postgresCpuMs: number | null;
  /** PostgreSQL processes seen busy or waiting, summed over the second's samples, by "backend type: wait event" */
  waits: Map<string, number>;
  samples: number;
  /** connections to this database that started this second, by application name */
  newConnections: Map<string, number>;
  /** checkpoints that ended, and their write + sync ms */
  checkpoints: number;
  checkpointMs: number;
}

export interface TimelineRow extends SecondSample {
  second: number;
  sent: number;
  answered: number;
  roundTripP50: number;
  roundTripMax: number;
  lagP50: number;
  lagMax: number;
}

/** Per second of the run (by answer time), the commands' figures beside the samplers'. */
export function timelineRows(commands: readonly CommandTimes[], seconds: readonly SecondSample[]): TimelineRow[] {
  const last = Math.max(seconds.length, ...commands.map((command) => Math.floor(command.answeredAt / 1000) + 1));
  const rows: TimelineRow[] = [];
  for (let second = 0; second < last; second += 1) {
    const inSecond = (at: number): boolean => at >= second * 1000 && at < (second + 1) * 1000;
    const answered = commands.filter((command) => inSecond(command.answeredAt));
    const roundTrips = answered.map((command) => command.answeredAt - command.sentAt);
    const lags = answered.flatMap((command) => (command.visibleAt === undefined ? [] : [command.visibleAt - command.answeredAt]));
    rows.push({
      ...(seconds[second] ?? emptySecond()),
      second,
      sent: commands.filter((command) => inSecond(command.sentAt)).length,
      answered: answered.length,
      roundTripP50: percentile(roundTrips, 50),
      roundTripMax: roundTrips.length === 0 ? Number.NaN : Math.max(...roundTrips),
      lagP50: percentile(lags, 50),
      lagMax: lags.length === 0 ? Number.NaN : Math.max(...lags),
    });
  }
  return rows;
}

function emptySecond(): SecondSample {
  return {
    loopDelayMaxMs: Number.NaN,
    machineBusy: Number.NaN,
    runnable: Number.NaN,
    benchCpuMs: Number.NaN,
    apiCpuMs: null,
    postgresCpuMs: null,
    waits: new Map(),
    newConnections: new Map(),
    samples: 0,
    checkpoints: 0,
    checkpointMs: 0,
  };
}

/** Busy and total jiffies of all cores, and runnable tasks, from /proc/stat. */
function machineCpu(): { busy: number; total: number; runnable: number } {
  const stat = readFileSync('/proc/stat', 'utf8');
  const cpu = stat
    .slice(0, stat.indexOf('\n'))
    .split(/\s+/)
    .slice(1)
    .map(Number)
    .filter((value) => Number.isFinite(value));
  // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
  const total = cpu.reduce((sum, value) => sum + value, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const runnable = Number(/^procs_running (\d+)/m.exec(stat)?.[1] ?? Number.NaN);
  return { busy: total - idle, total, runnable };
}

/*
 * Autovacuum workers are named by what they work on (their query: "autovacuum: VACUUM <table>").
 * Client backends idle between statements and background processes at rest (wait event type
 * Activity: the checkpointer, WAL writer, autovacuum launcher waiting for work) are not counted.
 */
const WAITS = `
SELECT CASE WHEN backend_type = 'autovacuum worker' THEN left(query, 80) || ' '
            ELSE coalesce(nullif(application_name, ''), backend_type) || ' ' || coalesce(state, '') END || ': ' ||
       coalesce(wait_event_type || '/' || wait_event, 'on CPU') AS what, count(*)::int AS n
  FROM pg_stat_activity
 WHERE pid <> pg_backend_pid()
   AND (datname = current_database() OR datname IS NULL)
   AND state IS DISTINCT FROM 'idle'
   AND wait_event_type IS DISTINCT FROM 'Activity'
 GROUP BY 1`;

/* The connections, to count those that started: a starting backend has no application name yet, so it is read again later. */
const CONNECTIONS = `SELECT pid, application_name AS name FROM pg_stat_activity
                      WHERE datname = current_database() AND pid <> pg_backend_pid()`;

const CHECKPOINTS = `SELECT num_done::float8 AS done, (write_time + sync_time)::float8 AS ms FROM pg_stat_checkpointer`;

/** Samples while the load runs; `stop` returns one SecondSample per whole second since `start`. */
export class TimelineSampler {
  private readonly seconds: SecondSample[] = [];
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private current: SecondSample = emptySecond();
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private started = 0;
  /** pid → the second it was first seen in, for connections not named yet or seen this second */
  private readonly connections = new Map<number, { second: number; name: string }>();
  private previous:
    | {
        machine: ReturnType<typeof machineCpu>;
        bench: number;
        api: number | null;
        backends: Map<number, number> | null;
        checkpoint: { done: number; ms: number };
      }
    | undefined;

  /** `pool`: one connection of its own, so sampling never delays the bench's checkpoint polls. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly apiPid: number | undefined,
  ) {}

  async start(started: number): Promise<void> {
    this.started = started;
    this.previous = await this.totals();
    // The connections open before the load are not new.
    for (const { pid, name } of (await this.pool.query<{ pid: number; name: string }>(CONNECTIONS)).rows)
      this.connections.set(pid, { second: -1, name });
    this.loop.enable();
    this.timer = setInterval(() => {
      // One sample at a time: a slow server skips ticks instead of piling queries up.
      this.sampling = this.sampling
        .then(() => this.sample())
        .catch((error: unknown) => {
          this.failure ??= { error };
        });
    }, SAMPLE_MS);
  }

  async stop(): Promise<SecondSample[]> {
    clearInterval(this.timer);
    await this.sampling;
    this.loop.disable();
    if (this.failure) throw this.failure.error;
    return this.seconds;
  }

  /** Stops sampling without the figures (the load failed). */
  cancel(): void {
    clearInterval(this.timer);
    this.loop.disable();
  }

  private async totals(): Promise<NonNullable<TimelineSampler['previous']>> {
    const { rows } = await this.pool.query<{ done: number; ms: number }>(CHECKPOINTS);
    return {
      machine: machineCpu(),
      bench: ((usage) => (usage.user + usage.system) / 1000)(process.cpuUsage()),
      api: this.apiPid === undefined ? null : processCpuMs(this.apiPid),
      backends: await backendsCpu(this.pool),
      checkpoint: rows[0] ?? { done: 0, ms: 0 },
    };
  }

  private async sample(): Promise<void> {
    const second = Math.floor((performance.now() - this.started) / 1000);
    if (second > this.seconds.length) await this.closeSecond();
    const { rows } = await this.pool.query<{ what: string; n: number }>(WAITS);
    for (const { what, n } of rows) this.current.waits.set(what, (this.current.waits.get(what) ?? 0) + n);
    for (const { pid, name } of (await this.pool.query<{ pid: number; name: string }>(CONNECTIONS)).rows) {
      const known = this.connections.get(pid);
      this.connections.set(pid, { second: known?.second ?? second, name: name || known?.name || '' });
    }
    this.current.samples += 1;
  }

  private async closeSecond(): Promise<void> {
    const closing = this.seconds.length;
    for (const { second, name } of this.connections.values())
      if (second === closing)
        this.current.newConnections.set(name || '(unnamed)', (this.current.newConnections.get(name || '(unnamed)') ?? 0) + 1);
    const now = await this.totals();
    const before = this.previous ?? now;
    const machineTotal = now.machine.total - before.machine.total;
    this.current.loopDelayMaxMs = this.loop.max / 1e6;
    this.loop.reset();
    this.current.machineBusy = machineTotal > 0 ? (now.machine.busy - before.machine.busy) / machineTotal : Number.NaN;
    this.current.runnable = now.machine.runnable;
    this.current.benchCpuMs = now.bench - before.bench;
    this.current.apiCpuMs = now.api === null || before.api === null ? null : now.api - before.api;
    this.current.postgresCpuMs = now.backends === null || before.backends === null ? null : cpuDelta(before.backends, now.backends);
    this.current.checkpoints = now.checkpoint.done - before.checkpoint.done;
    this.current.checkpointMs = now.checkpoint.ms - before.checkpoint.ms;
    this.seconds.push(this.current);
    this.current = emptySecond();
    this.previous = now;
  }
}

/**
 * CPU per answered command over the whole load, of the bench, the API (which runs the inline
 * projections too) and the database's backends; the rate `cores` would allow the API and
 * PostgreSQL at that cost (the bench is the load's client, not part of the service).
 */
export function cpuPerCommand(
  rows: readonly TimelineRow[],
  cores: number,
): { benchMs: number; apiMs: number | null; postgresMs: number | null; ceiling: number | null } {
  const sampled = rows.filter((row) => Number.isFinite(row.benchCpuMs));
  const answered = sampled.reduce((sum, row) => sum + row.answered, 0);
  const total = (values: Array<number | null>): number | null =>
    values.some((value) => value === null) ? null : values.reduce<number>((sum, value) => sum + (value ?? 0), 0) / answered;
  const apiMs = total(sampled.map((row) => row.apiCpuMs));
  const postgresMs = total(sampled.map((row) => row.postgresCpuMs));
  return {
    benchMs: total(sampled.map((row) => row.benchCpuMs)) ?? Number.NaN,
    apiMs,
    postgresMs,
    ceiling: apiMs === null || postgresMs === null ? null : (cores * 1000) / (apiMs + postgresMs),
  };
}

/** The timeline as lines, one per second; waits shown as average processes per sample, the three largest. */
export function formatTimeline(rows: readonly TimelineRow[]): string[] {
  const number = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');
  const lines = [
    '  s  sent  ans  rt p50  rt max  lag p50  lag max  loop max  machine  run  bench ms  api ms  pg ms  ckpt  ' +
      'new connections; PostgreSQL busy/waiting (avg per sample)',
  ];
  for (const row of rows) {
    const waits = [...row.waits]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([what, n]) => `${what} ${number(n / Math.max(1, row.samples), 1)}`)
      .join(', ');
    lines.push(
      [
        number(row.second).padStart(3),
        number(row.sent).padStart(5),
        number(row.answered).padStart(4),
        number(row.roundTripP50).padStart(7),
        number(row.roundTripMax).padStart(7),
        number(row.lagP50).padStart(8),
        number(row.lagMax).padStart(8),
        number(row.loopDelayMaxMs).padStart(9),
        `${number(row.machineBusy * 100)}%`.padStart(8),
        number(row.runnable).padStart(4),
        number(row.benchCpuMs).padStart(9),
        (row.apiCpuMs === null ? '–' : number(row.apiCpuMs)).padStart(7),
        (row.postgresCpuMs === null ? '–' : number(row.postgresCpuMs)).padStart(6),
        (row.checkpoints > 0 ? `${row.checkpoints}:${number(row.checkpointMs)}ms` : '').padStart(5),
        ` ${[...row.newConnections].map(([name, n]) => `+${n} ${name}`).join(', ')}${row.newConnections.size > 0 ? '; ' : ''}${waits}`,
      ].join(' '),
    );
  }
  return lines;
}
