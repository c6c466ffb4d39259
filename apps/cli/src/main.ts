import { CopyConflictError } from '#event-store/copy/index.js';
import { ApiError, ConfigError } from '#platform';
import { DataDirInUseError } from '#read-model/postgres/data-dir-lock.js';
import { allBenchesPlan, outcomesTable, runAllBenches } from './bench/all-benches.js';
import { APPEND_BENCH_USAGE, appendBench } from './bench/append/append-bench.js';
import { removeKeptDatabase, sharedBenchDatabaseName } from './bench/shared/bench-database.js';
import { COMMANDS_BENCH_USAGE, commandsBench } from './bench/commands/commands-bench.js';
import { DASHBOARD_BENCH_USAGE, dashboardBench } from './bench/dashboard/dashboard-bench.js';
import { IMPORT_BENCH_USAGE, importBench } from './bench/import/import-bench.js';
import { PROJECTIONS_BENCH_USAGE, projectionsBench } from './bench/projections/projections-bench.js';
import { WATCHDOG_BENCH_USAGE, watchdogBench } from './bench/watchdog/watchdog-bench.js';
import { copyEventsCommand } from './copy-events/copy-events-command.js';
import { TargetUnreachableError } from './copy-events/open-target-event-store.js';
import { MappingFileError } from './import/mapping.js';
import { importCommand } from './import/import-command.js';
import { XesSyntaxError } from './import/xes-reader.js';
import { keysCommand } from './keys/keys-command.js';
import { migrateCommand } from './migrate/migrate-command.js';
import { projectionsCommand } from './rebuild/projections-command.js';
import { refCommand } from './ref/ref-command.js';
import { ReferenceFileError } from './ref/reference-file.js';
import { rebuildCommand } from './rebuild/rebuild-command.js';
import { SimulationExistsError, simulateCommand } from './simulate/simulate-command.js';
import { BENCHES, commandUsage, helpTopic, topicOf, USAGE, UsageError, type Bench, type Command, type Group } from './usage.js';

const RUN_BENCH: Record<Bench, (args: string[]) => Promise<void>> = {
  append: appendBench,
  projections: projectionsBench,
  commands: commandsBench,
  import: importBench,
  watchdog: watchdogBench,
  dashboard: dashboardBench,
};

async function bench(args: string[]): Promise<void> {
  const [what, ...rest] = args;
  if (what === undefined) {
    const shared = sharedBenchDatabaseName();
    const outcomes = await runAllBenches(RUN_BENCH, allBenchesPlan(shared), (line) => process.stderr.write(`${line}\n`)).finally(() =>
      removeKeptDatabase(shared),
    );
    process.stdout.write(`${outcomesTable(outcomes)}\n`);
    const failed = outcomes.filter((outcome) => outcome.failure !== undefined).map((outcome) => outcome.bench);
    if (failed.length > 0) throw new Error(`benches failed: ${failed.join(', ')}`);
    return;
  }
  const known = BENCHES.find((name) => name === what);
  if (known) return RUN_BENCH[known](rest);
  throw new UsageError(`unknown bench "${what}"; available: ${BENCHES.join(', ')} (or none: all of them)`);
}

/** The benches list their options themselves. */
const DETAILED_USAGE: Partial<Record<Command | Group, string>> = {
  'bench append': APPEND_BENCH_USAGE,
  'bench projections': PROJECTIONS_BENCH_USAGE,
  'bench commands': COMMANDS_BENCH_USAGE,
  'bench import': IMPORT_BENCH_USAGE,
  'bench watchdog': WATCHDOG_BENCH_USAGE,
  'bench dashboard': DASHBOARD_BENCH_USAGE,
};

function printHelp(topic: Command | Group | ''): void {
  process.stdout.write(`${topic === '' ? USAGE : (DETAILED_USAGE[topic] ?? commandUsage(topic))}\n`);
}

async function run(args: string[]): Promise<void> {
  // Before any command runs: help never opens the database.
  const topic = helpTopic(args);
  if (topic !== undefined) return printHelp(topic);
  const [command, ...rest] = args;
  switch (command) {
    case undefined:
      return printHelp('');
    case 'help':
      return printHelp(topicOf(rest));
    case 'keys':
      return keysCommand(rest);
    case 'migrate':
      if (rest.length > 0) throw new UsageError('migrate takes no arguments');
      return migrateCommand();
    case 'bench':
      return bench(rest);
    case 'rebuild':
      return rebuildCommand(rest);
    case 'projections':
      return projectionsCommand(rest);
    case 'copy-events':
      return copyEventsCommand(rest);
    case 'ref':
      return refCommand(rest);
    case 'import':
      return importCommand(rest);
    case 'simulate':
      return simulateCommand(rest);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** `npm run cli -- <command>`; exit codes: 0 done, 1 failed, 2 wrong usage. */
run(process.argv.slice(2)).then(
  () => {
    // A command may have chosen its own code (an interrupted rebuild: 130).
    process.exitCode ??= 0;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`bildirim: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (
      error instanceof ConfigError ||
      error instanceof ApiError ||
      error instanceof DataDirInUseError ||
      error instanceof TargetUnreachableError ||
      error instanceof CopyConflictError ||
      error instanceof ReferenceFileError ||
      error instanceof MappingFileError ||
      error instanceof XesSyntaxError ||
      error instanceof SimulationExistsError
    ) {
      process.stderr.write(`bildirim: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`bildirim: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
