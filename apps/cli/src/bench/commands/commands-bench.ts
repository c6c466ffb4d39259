import os from 'node:os';
import pg from 'pg';
import { migrateEventStore } from '#event-store/postgres/migrate.js';
import { PostgresEventStore } from '#event-store/postgres/postgres-event-store.js';
import { endPool } from '#read-model/postgres/close-pools.js';
import { parseOptions as parseCliOptions, wholeNumberOption } from '../../rebuild/parse-options.js';
import { UsageError } from '../../usage.js';
import { startApiProcess } from '../shared/api-process.js';
import { describeServer, openBenchDatabase } from '../shared/bench-database.js';
import { describeRefusal, HttpClient } from '../shared/http-client.js';
import { appendLongTicket } from '#workload';
import { describeMachine, formatRate, percentile, stderrLog, table } from '../shared/measure.js';
import { closedLoop, type ClosedLoopResult, type LoopWindow } from './closed-loop.js';
import { backendsCpu, cpuDelta, processCpuMs } from '../shared/process-cpu.js';
import { figuresVsGoals, loadAverage, type Figure } from '../shared/goals.js';
import { writeBenchResult } from '../shared/results.js';

/** CPU used in a loop's measured window: the API process and the database's backends, ms; null where not sampled. */
interface LoopCpu {
  apiMs: number | null;
  postgresMs: number | null;
}

/** Samples the API process's and the database backends' CPU counters as the loop's window opens and closes. */
function cpuWindow(apiPid: number, pool: pg.Pool): LoopWindow & { cpu(): LoopCpu } {
  let api: [number | null, number | null] = [null, null];
  let backends: [Map<number, number> | null, Map<number, number> | null] = [null, null];
  return {
    opened: async () => {
      api = [processCpuMs(apiPid), null];
      backends = [await backendsCpu(pool), null];
    },
    closed: async () => {
      api = [api[0], processCpuMs(apiPid)];
      backends = [backends[0], await backendsCpu(pool)];
    },
    cpu: () => ({
      apiMs: api[0] === null || api[1] === null ? null : api[1] - api[0],
      postgresMs: backends[0] === null || backends[1] === null ? null : cpuDelta(backends[0], backends[1]),
    }),
  };
}

/**
 * What a command costs in CPU, and the rate the machine's cores would allow if the API and
 * PostgreSQL had them to themselves: what limits the closed loop on a small machine.
 */
function cpuFigures(result: ClosedLoopResult, cpu: LoopCpu): Figure[] {
  if (cpu.apiMs === null || cpu.postgresMs === null || result.answered === 0) return [];
  const api = cpu.apiMs / result.answered;
  const postgres = cpu.postgresMs / result.answered;
  const cores = os.availableParallelism();
  return [
    {
      name: `CPU per command at ${result.connections} connections: API / PostgreSQL`,
      measured: `${api.toFixed(2)} / ${postgres.toFixed(2)} ms`,
      goal: '–',
      met: undefined,
    },
    {
      name: `  → the most ${cores} cores allow`,
      measured: `${formatRate((cores * 1000) / (api + postgres))}/s`,
      goal: '–',
      met: undefined,
    },
  ];
}

/** Issue 12's goal: ≥ 1,000 commands/s at 32 connections with p99 < 100 ms; other connection counts are shown without a verdict. */
function loopFigures(result: ClosedLoopResult, cpu: LoopCpu): Figure[] {
  const judged = result.connections === 32;
  return [
    {
      name: `commands/s at ${result.connections} connections`,
      measured: `${formatRate(result.rate)}/s`,
      goal: judged ? '≥ 1,000/s' : '–',
      met: judged ? result.rate >= 1000 : undefined,
    },
    {
      name: `p99 at ${result.connections} connections`,
      measured: `${result.p99.toFixed(1)} ms`,
      goal: judged ? '< 100 ms' : '–',
      met: judged ? result.p99 < 100 : undefined,
    },
    ...cpuFigures(result, cpu),
  ];
}

/*
 * `npm run bench -- commands`: what a command costs on a long ticket against a short one —
 * `--writers` clients each sending `--commands` responses without If-Match to one ticket, on
 * a ticket of `--long` events and on one of `--short` — through the built API over HTTP on
 * the bench's database. The goal (issue 7): every command 2xx, and the long ticket's time per
 * command within 2× the short one's.
 */

/** `bench commands --help` */
export const COMMANDS_BENCH_USAGE = `usage: bench commands [--writers 8] [--commands 100] [--long 3000] [--short 10] [--rounds 3]
       bench commands --loop [--connections 8,32] [--seconds 20] [--projections inline|off]
  --writers    concurrent clients, each sending its commands one after another
  --commands   commands per client per ticket
  --long       events of the long ticket before the run
  --short      events of the short ticket before the run
  --rounds     measurements of each ticket, alternating (short, long, short, …)
  --loop       instead: issue 12's figure, a closed loop of ticket lives (open → claim → respond → close,
               each command with an Idempotency-Key) per connection, for --seconds at each of --connections;
               --projections: the API runs the projections (inline, as npm start does) or not (off)
With DATABASE_URL the bench uses that server (a database of its own, dropped after);
otherwise an embedded PostgreSQL with default settings in a temporary folder.`;

interface Options {
  loop: boolean;
  connections: number[];
  seconds: number;
  projections: 'inline' | 'off';
  writers: number;
  commands: number;
  long: number;
  short: number;
  rounds: number;
}

interface Run {
  statuses: Map<string, number>;
  milliseconds: number[];
  seconds: number;
}

function parseOptions(args: string[]): Options {
  const { values } = parseCliOptions(
    {
      args,
      options: {
        writers: { type: 'string', default: '8' },
        commands: { type: 'string', default: '100' },
        long: { type: 'string', default: '3000' },
        short: { type: 'string', default: '10' },
        rounds: { type: 'string', default: '3' },
        loop: { type: 'boolean', default: false },
        connections: { type: 'string', default: '8,32' },
        seconds: { type: 'string', default: '20' },
        projections: { type: 'string', default: 'inline' },
      },
      allowPositionals: false,
      strict: true,
    },
    'bench commands --help',
  );
  const wholeOf = (name: string, raw: string, minimum: number): number => wholeNumberOption(raw, name, 'bench commands --help', minimum);
  const whole = (name: 'writers' | 'commands' | 'long' | 'short' | 'rounds' | 'seconds', minimum: number): number =>
    wholeOf(name, values[name], minimum);
  const projections = values.projections;
  if (projections !== 'inline' && projections !== 'off')
    throw new UsageError(`--projections is inline or off, not ${projections}; see bench commands --help`);
  return {
    loop: values.loop,
    connections: values.connections.split(',').map((count) => wholeOf('connections', count.trim(), 1)),
    seconds: whole('seconds', 1),
    projections,
    writers: whole('writers', 1),
    commands: whole('commands', 1),
    long: whole('long', 2),
    short: whole('short', 2),
    rounds: whole('rounds', 1),
  };
}

export async function commandsBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  if (options.loop) return loopBench(options);
  const log = stderrLog;
  const target = await openBenchDatabase({ name: 'commands_bench', log });
  const pool = new pg.Pool({ connectionString: target.url, max: 4 });
  try {
    await migrateEventStore(pool);
    const server = await describeServer(pool);
    const api = await startApiProcess({ databaseUrl: target.url, projections: 'off', log });
    const http = new HttpClient(api.url, options.writers * 2);
    try {
      const key = await api.createKey('bench-writers', ['service']);
      const store = new PostgresEventStore(pool);
      const caller = { service: 'bench-seed', apiKeyId: 'bench' };
      const tickets = {
        short: await appendLongTicket(store, options.short, 'deniz', caller),
        long: await appendLongTicket(store, options.long, 'deniz', caller),
      };
      log(`tickets seeded: ${options.short} and ${options.long} events`);
      const runs: Record<'short' | 'long', Run[]> = { short: [], long: [] };
      for (let round = 1; round <= options.rounds; round++) {
        for (const which of ['short', 'long'] as const) {
          const run = await writers(http, key, tickets[which], options);
          runs[which].push(run);
          log(
            `round ${round}, ${which} ticket: p50 ${percentile(run.milliseconds, 50).toFixed(1)} ms, ` +
              `${formatRate(run.milliseconds.length / run.seconds)} commands/s`,
          );
        }
      }
      print(options, runs, `${target.description}; ${server.version}`);
    } finally {
      http.close();
      await api.stop();
    }
  } finally {
    await endPool(pool);
    await target.close();
  }
}

async function writers(http: HttpClient, key: string, ticketId: string, options: Options): Promise<Run> {
  const statuses = new Map<string, number>();
  const milliseconds: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.writers }, async () => {
      for (let n = 0; n < options.commands; n++) {
        const answer = await http.request('POST', `/tickets/${ticketId}/respond`, {
          headers: { authorization: `Bearer ${key}` },
          body: { userId: 'deniz', solution: false },
        });
        milliseconds.push(answer.milliseconds);
        const outcome = answer.status === 200 ? '200' : describeRefusal(answer);
        statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
      }
    }),
  );
  return { statuses, milliseconds, seconds: (performance.now() - started) / 1000 };
}

function print(options: Options, runs: Record<'short' | 'long', Run[]>, database: string): void {
  const all = (which: 'short' | 'long') => runs[which].flatMap((run) => run.milliseconds);
  const outcomes = (which: 'short' | 'long') => {
    const merged = new Map<string, number>();
    for (const run of runs[which]) for (const [status, count] of run.statuses) merged.set(status, (merged.get(status) ?? 0) + count);
    return [...merged].map(([status, count]) => `${status}: ${formatRate(count)}`).join(', ');
  };
  const rate = (which: 'short' | 'long') =>
    runs[which].reduce((sum, run) => sum + run.milliseconds.length, 0) / runs[which].reduce((sum, run) => sum + run.seconds, 0);
  const row = (which: 'short' | 'long', events: number) => [
    `${formatRate(events)}-event ticket`,
    percentile(all(which), 50).toFixed(1),
    percentile(all(which), 99).toFixed(1),
    formatRate(rate(which)),
    outcomes(which),
  ];
  const ratio = percentile(all('long'), 50) / percentile(all('short'), 50);
  process.stdout.write(
    [
      `commands bench: ${options.writers} writers × ${options.commands} responses without If-Match per ticket, ` +
        `${options.rounds} rounds each`,
      `machine: ${describeMachine()}`,
      `database: ${database}`,
      '',
      table(['ticket', 'p50 ms', 'p99 ms', 'commands/s', 'answers'], [row('short', options.short), row('long', options.long)]),
      '',
      `long/short time per command (p50): ${ratio.toFixed(2)}× (goal ≤ 2×)`,
      '',
    ].join('\n'),
  );
}

async function loopBench(options: Options): Promise<void> {
  const log = stderrLog;
  const target = await openBenchDatabase({ name: 'commands_bench', log });
  const pool = new pg.Pool({ connectionString: target.url, max: 2 });
  try {
    await migrateEventStore(pool);
    const server = await describeServer(pool);
    const api = await startApiProcess({ databaseUrl: target.url, projections: options.projections, log });
    const http = new HttpClient(api.url, Math.max(...options.connections));
    try {
      const key = await api.createKey('bench-loop', ['service']);
      const loadAtStart = loadAverage();
      const results: Array<ClosedLoopResult & { cpu: LoopCpu }> = [];
      for (const connections of options.connections) {
        const window = cpuWindow(api.pid, pool);
        const result = await closedLoop(http, key, connections, options.seconds, window);
        log(`${connections} connections: ${formatRate(result.rate)} commands/s, p99 ${result.p99.toFixed(1)} ms`);
        results.push({ ...result, cpu: window.cpu() });
      }
      const figures = results.flatMap((result) => loopFigures(result, result.cpu));
      const outcomes = (result: ClosedLoopResult) =>
        [...result.outcomes].map(([status, count]) => `${status}: ${formatRate(count)}`).join(', ');
      process.stdout.write(
        [
          `commands bench (closed loop): open → claim → respond → close per connection, Idempotency-Key on each, ` +
            `${options.seconds} s each, projections ${options.projections}`,
          `machine: ${describeMachine()}`,
          `database: ${target.description}; ${server.version}`,
          '',
          table(
            ['connections', 'commands/s', 'p50 ms', 'p99 ms', 'answers'],
            results.map((result) => [
              String(result.connections),
              formatRate(result.rate),
              result.p50.toFixed(1),
              result.p99.toFixed(1),
              outcomes(result),
            ]),
          ),
          '',
          ...figuresVsGoals('figures vs goals (issue 12)', figures, loadAtStart),
          '',
        ].join('\n'),
      );
      const file = writeBenchResult('commands', {
        machine: describeMachine(),
        load: { atStart: loadAtStart, atEnd: loadAverage() },
        postgres: { version: server.version, settings: server.settings, database: target.description },
        options: { ...options, mode: 'loop' },
        figures,
        results,
      });
      log(`figures written to ${file}`);
    } finally {
      http.close();
      await api.stop();
    }
  } finally {
    await endPool(pool);
    await target.close();
  }
}
