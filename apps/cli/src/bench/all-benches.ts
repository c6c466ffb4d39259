import { formatDuration } from '../rebuild/progress-bar.js';
import type { Bench } from '../usage.js';
import { table } from './shared/measure.js';

/*
 * `npm run bench` with no suite: every suite in turn, at sizes that keep the whole run inside
 * issue 13's 20 minutes on a 2-core machine. Each suite prints its own table and writes its
 * figures to bench/results/<suite>-<time>.json; a suite that fails is reported and the others run.
 */

export interface PlannedBench {
  bench: Bench;
  args: string[];
  /** why this size, printed before the suite runs */
  why: string;
}

/**
 * The suites in order. `shared` names where the projections suite keeps its seeded 150,000 tickets
 * (a new folder, or a database name on DATABASE_URL) for the dashboard suite to reuse: seeding and
 * rebuilding them twice would cost ~5 of the 20 minutes. The caller removes it afterwards.
 */
export function allBenchesPlan(shared: string): PlannedBench[] {
  return [
    { bench: 'append', args: [], why: 'raw inserts vs. the port, 10 s per measurement' },
    {
      bench: 'projections',
      args: ['--tickets', '150000', '--keep-in', shared],
      why: '150,000 tickets (not 1,000,000): seeding and rebuild fit the budget; kept for the dashboard suite',
    },
    { bench: 'commands', args: ['--loop'], why: "issue 12's closed loop over HTTP, 8 and 32 connections" },
    { bench: 'import', args: [], why: 'the generated 1,000,000-event log, projections rebuilt after' },
    { bench: 'watchdog', args: ['--quick'], why: '2,000 tickets at speed 240' },
    {
      bench: 'dashboard',
      args: ['--tickets', '150000', '--reuse', shared],
      why: "issue 15's size: the overview and units views in Chromium, on the projections suite's tickets",
    },
  ];
}

export interface SuiteOutcome {
  bench: Bench;
  seconds: number;
  /** the failure's message; undefined when the suite finished */
  failure: string | undefined;
}

/** Runs `plan` one suite after another through `run`, whatever fails; prints the outcomes with `print`. */
export async function runAllBenches(
  run: Record<Bench, (args: string[]) => Promise<void>>,
  plan: readonly PlannedBench[],
  log: (message: string) => void,
): Promise<SuiteOutcome[]> {
  const outcomes: SuiteOutcome[] = [];
  for (const [index, { bench, args, why }] of plan.entries()) {
    log(`\n=== bench ${index + 1}/${plan.length}: ${[bench, ...args].join(' ')} (${why})`);
    const started = performance.now();
    // A suite that fails sets no exit code of its own for the others to inherit.
    const exitCodeBefore = process.exitCode;
    process.exitCode = undefined;
    let failure: string | undefined;
    try {
      await run[bench](args);
      if (process.exitCode !== undefined && process.exitCode !== 0) failure = `exit code ${String(process.exitCode)}`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      log(`bench ${bench} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    process.exitCode = exitCodeBefore;
    outcomes.push({ bench, seconds: (performance.now() - started) / 1000, failure });
  }
  return outcomes;
}

export function outcomesTable(outcomes: readonly SuiteOutcome[]): string {
  const total = outcomes.reduce((sum, outcome) => sum + outcome.seconds, 0);
  return [
    '',
    `all benches in ${formatDuration(total)} (goal: under 20 minutes)`,
    '',
    table(
      ['suite', 'time', 'outcome'],
      outcomes.map((outcome) => [
        outcome.bench,
        formatDuration(outcome.seconds),
        outcome.failure === undefined ? 'done' : `FAILED: ${outcome.failure}`,
      ]),
    ),
  ].join('\n');
}
