import os from 'node:os';
import pg from 'pg';
import { endPool } from '#read-model/postgres/close-pools.js';
import { parseOptions as parseCliOptions, wholeNumberOption } from '../../rebuild/parse-options.js';
import { describeServer, openBenchDatabase } from '../shared/bench-database.js';
import { describeMachine, formatRate, stderrLog, table } from '../shared/measure.js';
import { writeBenchResult } from '../shared/results.js';
import { runWatchdogBench, type WatchdogRunResult } from './watchdog-run.js';

/*
 * `npm run bench -- watchdog` (issue 11): the SLA watchdog over `--tickets` open tickets whose due
 * times are spread over one hour of a virtual clock that runs `--speed` times faster than the wall
 * clock. Prints the detection latency of each delay (append − the moment its due passed),
 * delays/s, the CPU of the bench process and of PostgreSQL's backends, and checks every due was
 * delayed exactly once at its own dueAt. The figures also go to bench/results/ as JSON.
 */

/** `bench watchdog --help` */
export const WATCHDOG_BENCH_USAGE = `usage: bench watchdog [--tickets 100000] [--speed 20] [--interval 1000] [--seed N] [--quick]
  --tickets    open tickets, each with one due (claim or response) in the virtual hour
  --speed      how many times faster than the wall clock the virtual hour runs (20: 3 minutes)
  --interval   WATCHDOG_INTERVAL in ms, between the end of one scan and the next
  --seed       the workload's seed (printed; the same seed gives the same tickets and dues)
  --quick      a smoke run: 2,000 tickets at speed 240 (15 s)
With DATABASE_URL the bench uses that server (a database of its own, dropped after);
otherwise an embedded PostgreSQL with default settings in a temporary folder.
After the hour the watchdog works through any backlog; once it writes nothing for 60 s, what is
left counts as missed (and the bench fails).`;

interface Options {
  tickets: number;
  speed: number;
  intervalMs: number;
  seed: number;
}

function parseOptions(args: string[]): Options {
  const { values } = parseCliOptions(
    {
      args,
      options: {
        tickets: { type: 'string' },
        speed: { type: 'string' },
        interval: { type: 'string', default: '1000' },
        seed: { type: 'string' },
        quick: { type: 'boolean', default: false },
      },
      allowPositionals: false,
      strict: true,
    },
    'bench watchdog --help',
  );
  const whole = (name: string, raw: string, minimum: number): number => wholeNumberOption(raw, name, 'bench watchdog --help', minimum);
  return {
    tickets: whole('tickets', values.tickets ?? (values.quick ? '2000' : '100000'), 1),
    speed: whole('speed', values.speed ?? (values.quick ? '240' : '20'), 1),
    intervalMs: whole('interval', values.interval, 1),
    seed: whole('seed', values.seed ?? String(Math.floor(Math.random() * 2 ** 31)), 0),
  };
}

export async function watchdogBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const log = stderrLog;
  const hourSeconds = 3600 / options.speed;
  log(
    `bench watchdog: seed ${options.seed}, ${options.tickets} tickets, ` +
      `speed ${options.speed}× (the hour takes ${hourSeconds.toFixed(0)} s)`,
  );
  const target = await openBenchDatabase({ name: 'watchdog_bench', log });
  try {
    const pool = new pg.Pool({ connectionString: target.url, max: 1 });
    const server = await describeServer(pool).finally(() => endPool(pool));
    const result = await runWatchdogBench({ url: target.url, ...options, stallMs: 60_000, log });
    const machine = {
      description: describeMachine(),
      cores: os.cpus().length,
      model: os.cpus()[0]?.model.trim() ?? 'unknown',
      ramGiB: os.totalmem() / 1024 ** 3,
    };
    process.stdout.write(`${report(result, machine.description, `${target.description}; ${server.version}`, server.settings)}\n`);
    const file = writeBenchResult('watchdog', {
      machine,
      postgres: { version: server.version, settings: server.settings },
      result,
    });
    log(`figures written to ${file}`);
    if (result.missed > 0 || result.duplicates > 0 || result.wrongDue > 0)
      throw new Error(`the watchdog missed ${result.missed}, doubled ${result.duplicates} and misdated ${result.wrongDue} delays`);
  } finally {
    await target.close();
  }
}

const ms = (value: number) => `${formatRate(value)} ms`;
const share = (value: number | null) => (value === null ? 'n/a (not on this machine)' : `${(value * 100).toFixed(1)}%`);

function report(result: WatchdogRunResult, machine: string, database: string, settings: string): string {
  const rows = [
    ['tickets / events seeded', `${formatRate(result.tickets)} / ${formatRate(result.events)} in ${result.seedSeconds.toFixed(1)} s`],
    [
      'dues in the hour',
      Object.entries(result.dues)
        .map(([phase, n]) => `${phase} ${formatRate(n)}`)
        .join(', '),
    ],
    ['deadlines projection to the head', `${result.catchUpSeconds.toFixed(1)} s`],
    ['speed, WATCHDOG_INTERVAL', `${result.speed}× (hour in ${(3600 / result.speed).toFixed(0)} s), ${result.intervalMs} ms`],
    ['run (watchdog start → stop)', `${result.runSeconds.toFixed(1)} s`],
    ['delays written', formatRate(result.delays)],
    ['breach warnings written besides (75% and 90%)', formatRate(result.warnings)],
    ['detection latency p50 / p90', `${ms(result.latencyMs.p50)} / ${ms(result.latencyMs.p90)}`],
    ['detection latency p99 / max', `${ms(result.latencyMs.p99)} / ${ms(result.latencyMs.max)}`],
    ['delays per second (first → last append)', result.delaysPerSecond.toFixed(1)],
    ['bench process CPU (watchdog + deadlines runner)', share(result.processCpuShare)],
    ['PostgreSQL backends CPU', share(result.postgresCpuShare)],
    ['missed / duplicates / wrong dueAt', `${result.missed} / ${result.duplicates} / ${result.wrongDue}`],
    ['watchdog errors and warnings', String(result.watchdogErrors)],
  ];
  return [
    `bench watchdog (seed ${result.seed})`,
    `machine: ${machine}`,
    `database: ${database}`,
    `settings: ${settings}`,
    '',
    table(['measure', 'figure'], rows),
    '',
    'CPU shares are CPU time over wall time (1.0 = one core busy).',
  ].join('\n');
}
