import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { streamsWithEvents } from '#event-store/postgres/bulk-load.js';
import { type ProjectionLog } from '#read-model/projections/index.js';
import { createRegistry } from '#projections/registry.js';
import { JsonLogger, loadAutomationConfig, loadConfig, loadDatabaseConfig, openConnections, ReferenceStore } from '#platform';
import { referenceMode } from '#ticketing';
import { writeInProcess } from '../../bulk/write-in-process.js';
import { readCsvCases } from '../../import/csv-reader.js';
import { emptyTally, importAppends, type ImportTally, type Rejection } from '../../import/import-log.js';
import { readMapping } from '../../import/mapping.js';
import { parseOptions as parseCliOptions, wholeNumberOption } from '../../rebuild/parse-options.js';
import { describeServer, openBenchDatabase } from '../shared/bench-database.js';
import { backendsCpu, cpuDelta } from '../shared/process-cpu.js';
import { figuresVsGoals, loadAverage, type Figure } from '../shared/goals.js';
import { formatRate, stderrLog } from '../shared/measure.js';
import { writeBenchResult } from '../shared/results.js';
import { rebuildAll } from '../projections/rebuild-bench.js';
import { GENERATED_LOG_MAPPING, writeGeneratedLog } from './generated-log.js';

/*
 * `npm run bench -- import` (issue 13): a seeded CSV log of about `--events` events is written
 * to a temporary folder, then imported into a fresh database the way `cli import` does it (the
 * CSV reader, the mapping, decide/evolve per row, the bulk loader many tickets per transaction),
 * then every projection is rebuilt from the imported events, timed apart. The goal (≥ 20,000
 * events/s) is for the import with its projections following.
 */

export const IMPORT_BENCH_USAGE = `usage: bench import [--events 1000000] [--seed N]
  --events   about how many events the generated log yields (the bench prints how many it wrote)
  --seed     the generator's seed (printed; the same seed writes the same log)
With DATABASE_URL the bench uses that server (a database of its own, dropped after);
otherwise an embedded PostgreSQL with default settings in a temporary folder.`;

const GOAL_EVENTS_PER_SECOND = 20_000;

interface Options {
  events: number;
  seed: number;
}

export function parseImportBenchArgs(args: string[]): Options {
  const { values } = parseCliOptions(
    { args, options: { events: { type: 'string' }, seed: { type: 'string' } }, allowPositionals: false, strict: true },
    'bench import --help',
  );
  return {
    events: wholeNumberOption(values.events ?? '1000000', 'events', 'bench import --help', 1),
    seed: wholeNumberOption(values.seed ?? String(Math.floor(Math.random() * 2 ** 31)), 'seed', 'bench import --help', 0),
  };
}

export async function importBench(args: string[]): Promise<void> {
  const options = parseImportBenchArgs(args);
  const log = stderrLog;
  const loadAtStart = loadAverage();
  log(`bench import: seed ${options.seed}, about ${formatRate(options.events)} events`);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'bildirim-import-bench-'));
  const target = await openBenchDatabase({ name: 'import_bench', log });
  try {
    const logFile = path.join(folder, 'generated.csv');
    const mappingFile = path.join(folder, 'mapping.json');
    writeFileSync(mappingFile, JSON.stringify(GENERATED_LOG_MAPPING, null, 2));
    const generateStarted = performance.now();
    const generated = await writeGeneratedLog(logFile, options);
    const generateSeconds = (performance.now() - generateStarted) / 1000;
    log(`log written: ${formatRate(generated.cases)} cases, ${formatRate(generated.rows)} rows in ${generateSeconds.toFixed(1)} s`);

    // The CLI's own session on the bench database, migrated on open: the connections `cli import` and `cli rebuild` write through.
    const connections = await openConnections({
      config: loadDatabaseConfig({ DATABASE_URL: target.url }),
      logger: new JsonLogger('warn', (line) => process.stderr.write(line)),
      applicationName: 'bildirim-import-bench',
      entities: [],
      mode: 'attach',
    });
    try {
      const { eventStorePool: pool, eventStore: store } = connections;
      const server = await describeServer(pool);

      const mapping = await readMapping(mappingFile);
      const catalogue = (await new ReferenceStore(store, pool).loadAll()).catalogue;
      const reference = { catalogue, mode: referenceMode(loadAutomationConfig(process.env).referenceMode, catalogue) };
      const tally = emptyTally();
      const rejections: Rejection[] = [];
      const importStarted = performance.now();
      const cpuAtStart = process.cpuUsage();
      const backendsAtStart = await backendsCpu(pool);
      await writeInProcess(
        pool,
        importAppends(readCsvCases(logFile, { caseIdColumn: mapping.columns.caseId, ...mapping.csv }), {
          mapping,
          store,
          existingStreams: (streamIds) => streamsWithEvents(pool, streamIds),
          reference,
          tally,
          onReject: (rejection) => rejections.push(rejection),
        }),
        { dryRun: false },
      );
      const importSeconds = (performance.now() - importStarted) / 1000;
      const importProcessCpu = process.cpuUsage(cpuAtStart);
      const backendsAtEnd = await backendsCpu(pool);
      const importCpu = {
        processMs: (importProcessCpu.user + importProcessCpu.system) / 1000,
        postgresMs: backendsAtStart === null || backendsAtEnd === null ? null : cpuDelta(backendsAtStart, backendsAtEnd),
      };
      // The generator writes only cases the rules accept: a reject is a bug in it or in the importer, and the rate would lie.
      if (rejections.length > 0)
        throw new Error(`the generated log had ${rejections.length} rejected rows, the first: ${JSON.stringify(rejections[0])}`);
      log(`imported ${formatRate(tally.events)} events in ${importSeconds.toFixed(1)} s`);

      const projectionLog: ProjectionLog = (level, message, fields) => {
        if (level === 'warn' || level === 'error') log(`${level}: ${message}`, fields);
      };
      const registry = createRegistry({ reportingTimeZone: loadConfig(process.env).reportingTimeZone });
      const rebuild = await rebuildAll({ pool, store }, registry, projectionLog);

      const result = {
        seed: options.seed,
        log: { ...generated, bytes: statSync(logFile).size, seconds: generateSeconds },
        import: { ...figuresOf(tally, importSeconds), cpu: importCpu },
        rebuild: {
          seconds: rebuild.seconds,
          eventsPerSecond: tally.events / rebuild.seconds,
          cpu: rebuild.cpu,
          projections: rebuild.timings,
        },
        endToEnd: { seconds: importSeconds + rebuild.seconds, eventsPerSecond: tally.events / (importSeconds + rebuild.seconds) },
        goalEventsPerSecond: GOAL_EVENTS_PER_SECOND,
        cores: os.availableParallelism(),
      };
      const figures = goalFigures(result);
      process.stdout.write(
        `${[
          ...figuresVsGoals(`bench import (seed ${options.seed})`, figures, loadAtStart),
          `database: ${target.description}; ${server.version}`,
          `settings: ${server.settings}`,
          `log:      ${formatRate(generated.cases)} cases, ${formatRate(generated.rows)} rows, ${formatRate(tally.events)} events ` +
            `(generated in ${generateSeconds.toFixed(1)} s, not counted)`,
        ].join('\n')}\n`,
      );
      const file = writeBenchResult('import', {
        machine: { cores: os.cpus().length, model: os.cpus()[0]?.model.trim() ?? 'unknown', ramGiB: os.totalmem() / 1024 ** 3 },
        load: { atStart: loadAtStart, atEnd: loadAverage() },
        postgres: { version: server.version, settings: server.settings, database: target.description },
        figures,
        result,
      });
      log(`figures written to ${file}`);
    } finally {
      await connections.close();
    }
  } finally {
    await target.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

function figuresOf(tally: ImportTally, seconds: number) {
  return {
    cases: tally.cases,
    tickets: tally.tickets,
    rows: tally.rows,
    commands: tally.commands,
    events: tally.events,
    eventTypes: tally.eventTypes,
    bridges: tally.bridges,
    seconds,
    eventsPerSecond: tally.events / seconds,
  };
}

interface CpuSpent {
  processMs: number;
  /** null when the database's backends are not processes of this machine */
  postgresMs: number | null;
}

interface Rates {
  import: { events: number; seconds: number; eventsPerSecond: number; cpu: CpuSpent };
  rebuild: { seconds: number; eventsPerSecond: number; cpu: CpuSpent };
  endToEnd: { seconds: number; eventsPerSecond: number };
  cores: number;
}

/** The import alone, the rebuild alone, and the two together: the goal is for the import with its projections following. */
export function goalFigures(rates: Rates): Figure[] {
  const perSecond = (value: number, seconds: number) => `${formatRate(value)} events/s (${seconds.toFixed(1)} s)`;
  return [
    {
      name: `import into the store (${formatRate(rates.import.events)} events)`,
      measured: perSecond(rates.import.eventsPerSecond, rates.import.seconds),
      goal: '–',
      met: undefined,
    },
    {
      name: 'projections rebuilt after it',
      measured: perSecond(rates.rebuild.eventsPerSecond, rates.rebuild.seconds),
      goal: '–',
      met: undefined,
    },
    {
      name: 'import, projections following',
      measured: perSecond(rates.endToEnd.eventsPerSecond, rates.endToEnd.seconds),
      goal: `≥ ${formatRate(GOAL_EVENTS_PER_SECOND)} events/s`,
      met: rates.endToEnd.eventsPerSecond >= GOAL_EVENTS_PER_SECOND,
    },
    ...cpuFigures(rates),
  ];
}

/**
 * What bounds the goal on this machine: the CPU each event costs the import and the projections
 * (bench process + PostgreSQL backends), and the rate the cores could sustain at that cost.
 */
function cpuFigures(rates: Rates): Figure[] {
  const { import: imported, rebuild, cores } = rates;
  if (imported.cpu.postgresMs === null || rebuild.cpu.postgresMs === null) return [];
  const perEvent = (ms: number): number => (ms * 1000) / imported.events;
  const micros = (ms: number): string => `${perEvent(ms).toFixed(1)} µs`;
  const total = perEvent(imported.cpu.processMs + imported.cpu.postgresMs + rebuild.cpu.processMs + rebuild.cpu.postgresMs);
  return [
    {
      name: 'CPU per event: import (process + PostgreSQL)',
      measured: `${micros(imported.cpu.processMs)} + ${micros(imported.cpu.postgresMs)}`,
      goal: '–',
      met: undefined,
    },
    {
      name: 'CPU per event: projections (process + PostgreSQL)',
      measured: `${micros(rebuild.cpu.processMs)} + ${micros(rebuild.cpu.postgresMs)}`,
      goal: '–',
      met: undefined,
    },
    {
      name: `  → the most ${cores} cores allow for both at that cost`,
      measured: `${formatRate((cores * 1_000_000) / total)} events/s`,
      goal: '–',
      met: undefined,
    },
  ];
}
