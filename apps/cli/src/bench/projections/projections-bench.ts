import os from 'node:os';
import pg from 'pg';
import { migrateEventStore } from '#event-store/postgres/migrate.js';
import { PostgresEventStore } from '#event-store/postgres/postgres-event-store.js';
import { endPool } from '#read-model/postgres/close-pools.js';
import { migrateProjections, type Projection, type ProjectionLog } from '#read-model/projections/index.js';
import { createRegistry } from '#projections/registry.js';
import { loadConfig } from '#platform';
import { parseOptions as parseCliOptions, wholeNumberOption } from '../../rebuild/parse-options.js';
import { formatDuration } from '../../rebuild/progress-bar.js';
import { UsageError } from '../../usage.js';
import { startApiProcess } from '../shared/api-process.js';
import { loadAverage, verdict } from '../shared/goals.js';
import { describeServer, openBenchDatabase } from '../shared/bench-database.js';
import { HttpClient } from '../shared/http-client.js';
import { CAUGHT_UP_TIMEOUT_MS, lagBench, type LagResult } from './lag-bench.js';
import { cpuPerCommand, formatTimeline, type TimelineRow } from './lag-timeline.js';
import { describeMachine, formatRate, percentile, stderrLog, table } from '../shared/measure.js';
import { writeBenchResult } from '../shared/results.js';
import { catchUpAll, newestProjections, rebuildAll, type RebuildAllTiming, type RebuildTiming } from './rebuild-bench.js';
import { monthsOf, reportBench, type ReportTiming } from './report-bench.js';
import { ensureSeeded, type SeedOutcome } from './seed-store.js';
import type { SeedWorkload } from '#workload';

/*
 * `npm run bench -- projections`: the read side at scale, on one PostgreSQL with default
 * settings (embedded in a temporary folder, or a database of its own on DATABASE_URL).
 *   (a) rebuild throughput of every registered projection over the seeded event store;
 *   (b) append → visible lag under a steady load of real commands over HTTP;
 *   (c) report latency through the HTTP endpoints on read models of the seeded tickets.
 * The seed is the workload generator's (libs/workload/src/ticket-load.ts, a BPI 2013-like mix),
 * bulk-loaded into the event store as the API's appends would have stored it. Figures are
 * printed, never asserted.
 */

const GOAL_REBUILD_PER_SECOND = 50_000;
const GOAL_REBUILD_PEAK_RSS_BYTES = 1.5 * 1024 ** 3;
const GOAL_LAG_P99_MS = 250;
const GOAL_REPORT_P95_MS = 100;
const SEED_START = new Date('2025-01-01T00:00:00Z');
const GENERATED_UNITS = 24;
const REPORT_TIMEOUT_MS = 120_000;

/** `bench projections --help` */
export const PROJECTIONS_BENCH_USAGE = `usage: bench projections [--tickets 1000000] [--seed 2013] [--days 365] [--only a,b,c]
                         [--projections tickets,unit_days]
                         [--keep | --keep-in <folder or database> | --reuse <folder or database>]
                         [--rate 300] [--seconds 60] [--requests 30] [--warm-up 3] [--poll-ms 5]
                         [--lag-warm-up 10] [--timeline]
  --tickets    tickets to seed (≈8.5 events each); (a) and (c) run on them
  --seed       the workload generator's seed; --days: the tickets open over this many days from ${SEED_START.toISOString().slice(0, 10)}
  --only       which parts: a (rebuild throughput), b (append → visible lag), c (report latency); default all
  --projections  (a) rebuilds only these projections (registry names), to see each one's share; default all
  --keep       keep the seeded database after the run (the embedded cluster's folder, or the
               database on DATABASE_URL) and print how to reuse it
  --keep-in    keep it in this new folder (or under this database name on DATABASE_URL)
  --reuse      run on a database an earlier --keep left (not seeded again; same --tickets/--seed/--days);
               bench dashboard --reuse takes it too
  --rate, --seconds        (b): commands per second over HTTP, and for how long
  --requests, --warm-up    (c): timed and untimed requests per report (a request unanswered after
                           ${REPORT_TIMEOUT_MS / 1000} s fails; a report is given up after 3 of those in a row)
  --poll-ms    (b): how often the projections' checkpoints are polled
  --lag-warm-up  (b): seconds of the same load, not counted, before the measured ones (a fresh
               API's first seconds run unoptimised code and pay for it in lag)
  --timeline   (b): print a per-second timeline of the load beside the machine's CPU, the bench's
               event loop and PostgreSQL's wait events (to find what a lag stall is)
With DATABASE_URL the bench uses that server (a database of its own); otherwise an embedded
PostgreSQL with default settings in a temporary folder. The API runs as a child process
(dist/apps/api/src/main.js) on the same database.`;

type Part = 'a' | 'b' | 'c';

interface BenchOptions {
  workload: SeedWorkload;
  parts: Set<Part>;
  /** (a): the projections rebuilt; undefined: all */
  projections: Set<string> | undefined;
  keep: boolean;
  keepIn: string | undefined;
  reuse: string | undefined;
  rate: number;
  seconds: number;
  requests: number;
  warmUp: number;
  pollMs: number;
  timeline: boolean;
  lagWarmUp: number;
}

function parseOptions(args: string[]): BenchOptions {
  const { values } = parseCliOptions(
    {
      args,
      options: {
        tickets: { type: 'string', default: '1000000' },
        seed: { type: 'string', default: '2013' },
        days: { type: 'string', default: '365' },
        only: { type: 'string', multiple: true },
        projections: { type: 'string', multiple: true },
        keep: { type: 'boolean', default: false },
        'keep-in': { type: 'string' },
        reuse: { type: 'string' },
        rate: { type: 'string', default: '300' },
        seconds: { type: 'string', default: '60' },
        requests: { type: 'string', default: '30' },
        'warm-up': { type: 'string', default: '3' },
        'poll-ms': { type: 'string', default: '5' },
        timeline: { type: 'boolean', default: false },
        'lag-warm-up': { type: 'string', default: '10' },
      },
      allowPositionals: false,
      strict: true,
    },
    'bench projections --help',
  );
  const whole = (value: string, name: string, min = 1): number => wholeNumberOption(value, name, 'bench projections --help', min);
  const parts = new Set<Part>();
  for (const part of (values.only ?? ['a,b,c']).flatMap((value) => value.split(','))) {
    const trimmed = part.trim();
    if (trimmed !== 'a' && trimmed !== 'b' && trimmed !== 'c')
      throw new UsageError(`--only takes a, b and c, not ${part}; see bench projections --help`);
    parts.add(trimmed);
  }
  if ([values.keep, values['keep-in'] !== undefined, values.reuse !== undefined].filter(Boolean).length > 1)
    throw new UsageError('--keep, --keep-in and --reuse exclude each other (a reused database is kept anyway)');
  return {
    workload: {
      tickets: whole(values.tickets, 'tickets'),
      seed: whole(values.seed, 'seed', 0),
      start: SEED_START,
      days: whole(values.days, 'days'),
    },
    parts,
    projections:
      values.projections === undefined
        ? undefined
        : new Set(values.projections.flatMap((value) => value.split(',')).map((name) => name.trim())),
    keep: values.keep,
    keepIn: values['keep-in'],
    reuse: values.reuse,
    rate: whole(values.rate, 'rate'),
    seconds: whole(values.seconds, 'seconds'),
    requests: whole(values.requests, 'requests'),
    warmUp: whole(values['warm-up'], 'warm-up', 0),
    pollMs: whole(values['poll-ms'], 'poll-ms'),
    timeline: values.timeline,
    lagWarmUp: whole(values['lag-warm-up'], 'lag-warm-up', 0),
  };
}

export async function projectionsBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const log = stderrLog;
  const projectionLog: ProjectionLog = (level, message, fields) => {
    if (level === 'warn' || level === 'error') log(`${level}: ${message}`, fields);
  };
  // The API's own configuration decides the projections' time zone; the bench builds what it runs.
  const registry = createRegistry({ reportingTimeZone: loadConfig(process.env).reportingTimeZone });
  const rebuilt = chosenProjections(registry, options.projections);
  const target = await openBenchDatabase({
    name: 'projections_bench',
    keep: options.keep,
    keepIn: options.keepIn,
    reuse: options.reuse,
    log,
  });
  const print = (...lines: string[]): void => {
    process.stdout.write(`${lines.join('\n')}\n`);
  };
  try {
    // Connections kept for the whole run (no idle timeout), so the CPU sampled from their backends is all there.
    const pool = new pg.Pool({ connectionString: target.url, max: 12, idleTimeoutMillis: 0 });
    // An idle connection that the server drops would otherwise crash the process with an unhandled 'error'.
    pool.on('error', (error) => log('idle bench connection failed', { error: error.message }));
    const store = new PostgresEventStore(pool);
    try {
      const server = await describeServer(pool);
      const loadAtStart = loadAverage();
      await migrateEventStore(pool);
      await migrateProjections(pool);
      print(
        '',
        `projections benchmark, ${new Date().toISOString()}`,
        `machine:  ${describeMachine()}`,
        `          load average at start ${loadAtStart} (other work on the machine weighs on every figure)`,
        `server:   ${server.version}`,
        `          ${target.description}; ${server.settings}`,
        `read:     ${newestProjections(registry)
          .map((projection) => `${projection.name} v${projection.version}`)
          .join(', ')} (projections/registry.ts)`,
      );
      const deps = { pool, store };
      // Each part stands alone: one that fails (an API that does not start, a report that
      // errs) is reported, and the others still run on the seeded database.
      const failed: string[] = [];
      const part = async (name: string, run: () => Promise<string[]>): Promise<void> => {
        try {
          print(...(await run()));
        } catch (error) {
          failed.push(name);
          print('', `${name}: FAILED: ${error instanceof Error ? error.message : String(error)}`);
          log(`${name} failed`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        }
      };
      let seeded: SeedOutcome | undefined;
      // What each part measured, for bench/results/ (a part that failed or did not run is absent).
      const recorded: { rebuild?: RebuildAllTiming; reports?: ReportTiming[]; lag?: LagResult } = {};
      if (options.parts.has('a') || options.parts.has('c')) {
        seeded = await ensureSeeded(pool, store, options.workload);
        print(...seedSection(seeded));
      }
      if (options.parts.has('a'))
        await part('(a)', async () => {
          recorded.rebuild = await rebuildAll(deps, rebuilt, projectionLog);
          return rebuildSection(recorded.rebuild, await storedEvents(pool));
        });
      if (options.parts.has('c') && seeded) {
        const seed = seeded;
        await part('(c)', async () => {
          await catchUpAll(deps, registry, projectionLog);
          const api = await startApiProcess({ databaseUrl: target.url, projections: 'off', log });
          const client = new HttpClient(api.url, 4);
          try {
            const analystKey = await api.createKey('bench-analyst', ['analyst']);
            const timings = await reportBench(client, {
              workload: seed.workload,
              warmUp: options.warmUp,
              requests: options.requests,
              analystKey,
              units: GENERATED_UNITS,
              timeoutMs: REPORT_TIMEOUT_MS,
            });
            recorded.reports = timings;
            return reportSection(timings, seed, await storedEvents(pool), options);
          } finally {
            client.close();
            await api.stop();
          }
        });
      }
      if (options.parts.has('b')) {
        await part('(b)', async () => {
          await catchUpAll(deps, registry, projectionLog);
          const before = await storedEvents(pool);
          const api = await startApiProcess({ databaseUrl: target.url, projections: 'inline', log });
          const client = new HttpClient(api.url);
          const pollPool = new pg.Pool({ connectionString: target.url, max: 1 });
          pollPool.on('error', (error) => log('idle poll connection failed', { error: error.message }));
          const timelinePool = options.timeline ? new pg.Pool({ connectionString: target.url, max: 1 }) : undefined;
          timelinePool?.on('error', (error) => log('idle timeline connection failed', { error: error.message }));
          try {
            const serviceKey = await api.createKey('bench-service', ['service']);
            if (options.lagWarmUp > 0) {
              log(`(b) warm-up: ${options.lagWarmUp} s at ${options.rate} commands/s, not counted`);
              await lagBench(client, pollPool, store, {
                rate: options.rate,
                seconds: options.lagWarmUp,
                // Another seed than the measured load's: its mix is not the measured one repeated.
                seed: options.workload.seed + 2,
                pollMs: options.pollMs,
                projectionNames: newestProjections(registry).map((projection) => projection.name),
                serviceKey,
              });
            }
            const result = await lagBench(client, pollPool, store, {
              rate: options.rate,
              seconds: options.seconds,
              seed: options.workload.seed + 1,
              pollMs: options.pollMs,
              projectionNames: newestProjections(registry).map((projection) => projection.name),
              serviceKey,
              timeline: timelinePool ? { pool: timelinePool, apiPid: api.pid } : undefined,
            });
            recorded.lag = result;
            return lagSection(result, options, before);
          } finally {
            client.close();
            await endPool(pollPool);
            if (timelinePool) await endPool(timelinePool);
            await api.stop();
          }
        });
      }
      if (failed.length > 0) process.exitCode = 1;
      print('', `load average at end ${loadAverage()}`);
      const file = writeBenchResult('projections', {
        machine: describeMachine(),
        load: { atStart: loadAtStart, atEnd: loadAverage() },
        postgres: { version: server.version, settings: server.settings, database: target.description },
        options: { ...options, parts: [...options.parts] },
        seeded,
        failed,
        ...recorded,
      });
      log(`figures written to ${file}`);
      if (target.keptAs) print(`kept: run again on this database with --reuse ${target.keptAs}`);
    } finally {
      await store.close();
      await endPool(pool);
    }
  } finally {
    await target.close();
  }
}

/** The registry's definitions of the chosen projections (all when none are chosen); an unknown name is a usage error. */
function chosenProjections(registry: readonly Projection[], chosen: Set<string> | undefined): readonly Projection[] {
  if (chosen === undefined) return registry;
  const known = new Set(registry.map((projection) => projection.name));
  const unknown = [...chosen].filter((name) => !known.has(name));
  if (unknown.length > 0) throw new UsageError(`--projections: no projection named ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  return registry.filter((projection) => chosen.has(projection.name));
}

async function storedEvents(pool: pg.Pool): Promise<number> {
  return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0].n);
}

function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : '–';
}

const MIX: Array<[string, string]> = [
  ['TicketRouted', 'routed'],
  ['TicketClaimed', 'claimed'],
  ['TicketReleased', 'released'],
  ['TicketResponded', 'responded'],
  ['TicketPutOnHold', 'held'],
  ['TicketDelayed', 'delayed'],
  ['TicketEscalated', 'escalated'],
  ['TicketClosed', 'closed'],
  ['TicketReopened', 'reopened'],
  ['TicketSurveyed', 'surveyed'],
];

function seedSection(seeded: SeedOutcome): string[] {
  const { workload } = seeded;
  const perTicket = (type: string): string => ((seeded.eventTypes[type] ?? 0) / workload.tickets).toFixed(2);
  const lines = [
    '',
    `seed:     ${formatRate(workload.tickets)} tickets, generator seed ${workload.seed}, ` +
      `opening over ${workload.days} days from ${workload.start.toISOString().slice(0, 10)}`,
    `          (libs/workload/src/ticket-load.ts: a BPI 2013-like mix, every command through decide; ` +
      `bulk-loaded as the API's appends, libs/workload/src/ticket-seed.ts)`,
    `          ${formatRate(seeded.events)} events in ${formatRate(seeded.appends)} appends, ` +
      `${(seeded.events / workload.tickets).toFixed(2)} events per ticket; per ticket: ` +
      `${MIX.map(([type, label]) => `${label} ${perTicket(type)}`).join(', ')}`,
  ];
  if (seeded.seconds === undefined) lines.push(`          seeded by an earlier run (${seeded.seededAt.toISOString()}), reused`);
  else
    lines.push(
      `          bulk load: ${formatDuration(seeded.seconds)} (${formatRate(seeded.events / seeded.seconds)} events/s, ` +
        `generating and deciding included)`,
    );
  if (seeded.check) lines.push(`check:    ${seeded.check}`);
  return lines;
}

function rebuildSection(rebuilt: RebuildAllTiming, stored: number): string[] {
  const { timings, seconds, peakRssBytes, cpu } = rebuilt;
  const perEvent = (ms: number): string => `${((ms * 1000) / stored).toFixed(1)} µs`;
  const cores = os.availableParallelism();
  const applied = timings.reduce((sum, timing) => sum + timing.eventsApplied, 0);
  const rate = (timing: RebuildTiming): number => timing.eventsApplied / timing.seconds;
  const goal = `≥ ${formatRate(GOAL_REBUILD_PER_SECOND)}/s`;
  const all = stored / seconds;
  /** A PostgreSQL CPU figure per stored event, and the rate the cores allow with the bench process's beside it. */
  const cpuRows = (what: string, postgresMs: number | null): string[][] =>
    postgresMs === null
      ? []
      : [
          [`CPU per stored event: ${what}`, perEvent(postgresMs), '', ''],
          [
            `  → the most ${cores} cores allow at that cost`,
            `${formatRate((cores * stored * 1000) / (cpu.processMs + postgresMs))}/s`,
            '',
            '',
          ],
        ];
  const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  return [
    '',
    `(a) rebuild from zero of every projection together, as \`cli rebuild\` does (rebuildProjections: one per-stream read ` +
      `feeding every projection with a per-stream path, then each follows the log), over ${formatRate(stored)} stored events`,
    '',
    table(
      ['projection', 'version', 'events applied', 'time', 'events/s', 'read model size'],
      timings.map((timing) => [
        timing.name,
        String(timing.version),
        formatRate(timing.eventsApplied),
        formatDuration(timing.seconds),
        formatRate(rate(timing)),
        gib(timing.bytes),
      ]),
    ),
    "(the per-stream phase is shared: each projection's time includes it, so the times overlap)",
    '',
    table(
      ['measure', 'value', 'goal', 'verdict'],
      [
        ['stored events/s, all projections together', formatRate(all), goal, verdict(all >= GOAL_REBUILD_PER_SECOND)],
        ['events applied, all projections', formatRate(applied), '', ''],
        ['wall time', formatDuration(seconds), '', ''],
        [
          'peak RSS of the bench process',
          gib(peakRssBytes),
          `< ${gib(GOAL_REBUILD_PEAK_RSS_BYTES)}`,
          verdict(peakRssBytes < GOAL_REBUILD_PEAK_RSS_BYTES),
        ],
        ['CPU per stored event: bench process (read, fold, rows)', perEvent(cpu.processMs), '', ''],
        ...cpuRows('PostgreSQL backends (reads, writes)', cpu.postgresMs),
        ...cpuRows('whole PostgreSQL server (autovacuum, WAL writer… too)', cpu.serverMs),
      ],
    ),
    `every read model from ${formatRate(stored)} events in ${formatDuration(seconds)}: ${formatRate(all)} stored events/s` +
      (stored < 1_000_000 ? ' (fewer than the 1,000,000 events the goal is stated for)' : ''),
  ];
}

function reportSection(timings: ReportTiming[], seeded: SeedOutcome, stored: number, options: BenchOptions): string[] {
  const months = monthsOf(seeded.workload);
  const rows = timings.map((timing) => {
    const p95 = percentile(timing.milliseconds, 95);
    return [
      timing.report,
      String(timing.milliseconds.length),
      ms(percentile(timing.milliseconds, 50)),
      ms(p95),
      ms(Math.max(...timing.milliseconds)),
      timing.answerSize,
      `p95 < ${GOAL_REPORT_P95_MS} ms`,
      timing.failures.size > 0 ? 'FAILED' : verdict(p95 < GOAL_REPORT_P95_MS),
    ];
  });
  const failures = timings.flatMap((timing) => [...timing.failures].map(([reason, count]) => `${timing.report}: ${count} × ${reason}`));
  return [
    '',
    `(c) report latency over HTTP on read models of the ${formatRate(seeded.workload.tickets)} seeded tickets (${formatRate(stored)} ` +
      `events in the store); asOf now; one request at a time,`,
    `    reports in turn, ${options.warmUp} warm-up + ${options.requests} timed each over ${months.length} periods ` +
      `(${months[0]?.from} … ${months[months.length - 1]?.to}) and ${GENERATED_UNITS} units`,
    '',
    table(['report', 'n', 'p50 ms', 'p95 ms', 'max ms', 'answer (median)', 'goal', 'verdict'], rows),
    ...timings.map((timing) => `  e.g. GET ${timing.example}`),
    ...(failures.length > 0 ? ['failures:', ...failures.map((failure) => `  ${failure}`)] : []),
  ];
}

function cpuLine(timeline: TimelineRow[]): string {
  const cores = os.availableParallelism();
  const cpu = cpuPerCommand(timeline, cores);
  const figure = (value: number | null): string => (value === null ? '–' : `${value.toFixed(2)} ms`);
  return (
    `CPU per answered command: ${figure(cpu.benchMs)} bench, ${figure(cpu.apiMs)} API (inline projections included), ` +
    `${figure(cpu.postgresMs)} PostgreSQL` +
    (cpu.ceiling === null ? '' : ` → API and PostgreSQL alone allow at most ${formatRate(cpu.ceiling)} commands/s on ${cores} cores`)
  );
}

function lagSection(result: LagResult, options: BenchOptions, storedBefore: number): string[] {
  const row = (what: string, values: number[], goal = '', met?: boolean): string[] => [
    what,
    formatRate(values.length),
    ms(percentile(values, 50)),
    ms(percentile(values, 99)),
    ms(values.length === 0 ? Number.NaN : Math.max(...values)),
    goal,
    met === undefined ? '' : verdict(met),
  ];
  const p99 = percentile(result.lagFromAnswer, 99);
  const refused = [...result.refused].map(([reason, count]) => `${count} × ${reason}`);
  const failed = [...result.failed].map(([reason, count]) => `${count} × ${reason}`);
  return [
    '',
    `(b) append → visible under ${options.rate} commands/s for ${options.seconds} s: ` +
      `real commands over HTTP (Idempotency-Key on each), open loop, the generator's`,
    `    command streams (seed ${options.workload.seed + 1}, fresh ticket ids); API child process with PROJECTIONS=inline; ` +
      `event store held ${formatRate(storedBefore)} events;`,
    `    visible = every projection's live checkpoint ≥ the command's answered position (projections.checkpoints polled every ` +
      `${options.pollMs} ms)` +
      (options.lagWarmUp > 0 ? `; after ${options.lagWarmUp} s of the same load, not counted (--lag-warm-up)` : ''),
    ...(result.behindAtStart.length > 0
      ? [
          `    WARNING: ${result.behindAtStart.join(', ')} had not caught up with the store ${CAUGHT_UP_TIMEOUT_MS / 1000} s after ` +
            `the API started (a new version building, a failing handler?): the lag includes that`,
        ]
      : []),
    '',
    table(
      ['measure', 'n', 'p50 ms', 'p99 ms', 'max ms', 'goal', 'verdict'],
      [
        row(
          'answer → visible in every projection',
          result.lagFromAnswer,
          `p99 < ${GOAL_LAG_P99_MS} ms`,
          p99 < GOAL_LAG_P99_MS && result.neverVisible === 0,
        ),
        ...[...result.lagByProjection].map(([name, values]) => row(`  answer → visible in ${name}`, values)),
        row('request sent → visible in every projection', result.lagFromRequest),
        row('command round trip (request → answer)', result.roundTrip),
      ],
    ),
    `commands: ${formatRate(result.sent)} sent (${(result.sent / result.sendSeconds).toFixed(1)}/s), ` +
      `${formatRate(result.answered)} answered with success ` +
      `(${(result.answered / result.answerSeconds).toFixed(1)}/s, ` +
      `last answer ${result.answerSeconds.toFixed(1)} s after the first request); ` +
      (refused.length > 0 ? `refused: ${refused.join(', ')}; ` : 'none refused; ') +
      (failed.length > 0 ? `without an answer: ${failed.join(', ')}; ` : '') +
      `${formatRate(result.ticketsOpened)} tickets opened` +
      (result.neverVisible > 0
        ? `; ${formatRate(result.neverVisible)} answered commands NEVER became visible in every projection within a minute (${[
            ...result.neverVisibleIn,
          ]
            .map(([name, count]) => `${name}: ${formatRate(count)}`)
            .join(', ')})`
        : ''),
    `mix:      ${[...result.mix]
      .sort((a, b) => b[1] - a[1])
      .map(([type, count]) => `${type} ${formatRate(count)}`)
      .join(', ')}`,
    ...(result.timeline
      ? [
          '',
          'timeline (--timeline), per second of answers: commands sent and answered, round trip and answer → visible (ms), ' +
            "the bench's event-loop delay, the machine's CPU busy (all cores) and runnable tasks, CPU ms of the bench, the API and " +
            "this database's backends, checkpoints ended, and what PostgreSQL's processes were busy or waiting on",
          ...formatTimeline(result.timeline),
          cpuLine(result.timeline),
        ]
      : []),
  ];
}
