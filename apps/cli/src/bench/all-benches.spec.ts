import { describe, expect, it } from '@jest/globals';
import { BENCHES, USAGE, type Bench } from '../usage.js';
import { allBenchesPlan, outcomesTable, runAllBenches } from './all-benches.js';

const ALL_BENCHES_PLAN = allBenchesPlan('/tmp/shared-seed');

/** Suites that record how they were called; `failing` throws, `exiting` sets exit code 1 as the projections bench does on a failed part. */
function recordingSuites(
  failing: Bench,
  exiting: Bench,
): { calls: Array<[Bench, string[]]>; run: Record<Bench, (args: string[]) => Promise<void>> } {
  const calls: Array<[Bench, string[]]> = [];
  const suite = (bench: Bench) => async (args: string[]) => {
    calls.push([bench, args]);
    if (bench === failing) throw new Error(`${bench} broke`);
    if (bench === exiting) process.exitCode = 1;
  };
  const run = Object.fromEntries(BENCHES.map((bench) => [bench, suite(bench)])) as Record<Bench, (args: string[]) => Promise<void>>;
  return { calls, run };
}

describe('npm run bench with no suite', () => {
  it('plans every suite once, and the usage names the sizes it runs them at', () => {
    expect(ALL_BENCHES_PLAN.map((planned) => planned.bench).sort()).toEqual([...BENCHES].sort());
    expect(USAGE).toContain('projections --tickets 150000');
    expect(USAGE).toContain('watchdog --quick');
  });

  it('seeds the 150,000 tickets once: the projections suite keeps them where the dashboard suite reuses them', () => {
    const argsOf = (bench: Bench) => ALL_BENCHES_PLAN.find((planned) => planned.bench === bench)?.args ?? [];
    expect(argsOf('projections')).toEqual(['--tickets', '150000', '--keep-in', '/tmp/shared-seed']);
    expect(argsOf('dashboard')).toEqual(['--tickets', '150000', '--reuse', '/tmp/shared-seed']);
    const order = ALL_BENCHES_PLAN.map((planned) => planned.bench);
    expect(order.indexOf('projections')).toBeLessThan(order.indexOf('dashboard'));
  });

  it('runs each suite in turn with its arguments, goes on after one fails, and reports which failed', async () => {
    const { calls, run } = recordingSuites('commands', 'projections');
    const lines: string[] = [];
    const exitCodeBefore = process.exitCode;
    const outcomes = await runAllBenches(run, ALL_BENCHES_PLAN, (line) => lines.push(line));
    expect(calls).toEqual(ALL_BENCHES_PLAN.map((planned) => [planned.bench, planned.args]));
    expect(outcomes.map((outcome) => [outcome.bench, outcome.failure])).toEqual(
      ALL_BENCHES_PLAN.map((planned) => [
        planned.bench,
        planned.bench === 'commands' ? 'commands broke' : planned.bench === 'projections' ? 'exit code 1' : undefined,
      ]),
    );
    // A failed suite's exit code is its outcome, not the next suite's.
    expect(process.exitCode).toBe(exitCodeBefore);
    expect(lines.filter((line) => line.includes('=== bench')).length).toBe(ALL_BENCHES_PLAN.length);
    const printed = outcomesTable(outcomes);
    expect(printed).toContain('FAILED: commands broke');
    expect(printed.split('\n').filter((line) => line.includes('| done')).length).toBe(ALL_BENCHES_PLAN.length - 2);
  });
});
