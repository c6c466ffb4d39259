#!/usr/bin/env node
/**
 * `npm test`'s jest step. On two or more cores it runs two jest processes at once, each
 * `--runInBand` on its own throwaway PostgreSQL cluster (jest's global set-up starts one per
 * process): the `heavy` project (the three longest acceptance specs) in one lane, every other
 * project (`fast`, `slow`, `browser`) in the other. One after the other they took 33 minutes on the 2-core CI
 * machine; side by side the suite ends when the longer lane does. Each output line carries its
 * lane's name; the exit code is non-zero when either lane failed.
 *
 * `TEST_LANES=1` (or a single core) runs every project in one process, as before. Arguments
 * (`npm test -- <paths or jest options>`) go to one jest process over every project.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';

const JEST = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--runInBand'];
const args = process.argv.slice(2);
const lanes =
  args.length > 0 || process.env.TEST_LANES === '1' || availableParallelism() < 2
    ? [{ name: 'all', args }]
    : [
        // Every project but `heavy`, so that a project added later runs without being listed here.
        { name: 'others', args: ['--ignoreProjects', 'heavy'] },
        { name: 'heavy', args: ['--selectProjects', 'heavy'] },
      ];

const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

/** Runs one lane; resolves with its exit code and seconds. Lines are prefixed only when lanes run side by side. */
function runLane({ name, args: laneArgs }) {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [...JEST, ...laneArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const prefix = lanes.length > 1 ? `[${name}] ` : '';
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`${prefix}${line}\n`));
  }
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ name, code: code ?? (signal ? 128 : 1), seconds: (performance.now() - startedAt) / 1000 });
    });
  });
}

const outcomes = await Promise.all(lanes.map(runLane));
if (lanes.length > 1) {
  for (const { name, code, seconds } of outcomes) {
    process.stdout.write(`jest lane ${name}: ${code === 0 ? 'passed' : `FAILED (exit code ${code})`} in ${Math.round(seconds)} s\n`);
  }
}
process.exit(outcomes.some(({ code }) => code !== 0) ? 1 : 0);
