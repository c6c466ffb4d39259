import { existsSync } from 'node:fs';
import pg from 'pg';
import { chromium, type Page } from 'playwright-core';
import { migrateEventStore } from '#event-store/postgres/migrate.js';
import { PostgresEventStore } from '#event-store/postgres/postgres-event-store.js';
import { endPool } from '#read-model/postgres/close-pools.js';
import { migrateProjections, type ProjectionLog } from '#read-model/projections/index.js';
import { createRegistry } from '#projections/registry.js';
import { loadConfig } from '#platform';
import { parseOptions as parseCliOptions, wholeNumberOption } from '../../rebuild/parse-options.js';
import { formatDuration } from '../../rebuild/progress-bar.js';
import { UsageError } from '../../usage.js';
import { startApiProcess } from '../shared/api-process.js';
import { describeServer, openBenchDatabase } from '../shared/bench-database.js';
import { loadAverage, verdict } from '../shared/goals.js';
import { describeMachine, formatRate, median, stderrLog, table } from '../shared/measure.js';
import { writeBenchResult } from '../shared/results.js';
import { catchUpAll, rebuildAll } from '../projections/rebuild-bench.js';
import { ensureSeeded } from '../projections/seed-store.js';

/*
 * `npm run bench -- dashboard` (issue 15): how long the dashboard's Overview and Units views take
 * to show their data in Debian's Chromium, on the projections bench's seeded tickets (read models
 * rebuilt first). Each load is a fresh page (the page, its scripts, the session check and the
 * view's report requests) until the view marks itself ready (main[data-ready]). Printed, never
 * asserted; the goal is under 1 s each.
 */

const GOAL_MS = 1000;
const SEED_START = new Date('2025-01-01T00:00:00Z');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const DASHBOARD_BENCH_USAGE = `usage: bench dashboard [--tickets 150000] [--seed 2013] [--days 365] [--runs 5]
                       [--keep | --reuse <folder or database>]
  --tickets    tickets to seed (≈8.5 events each; the projections bench's generator and seed store)
  --seed       the generator's seed; --days: the tickets open over this many days from ${SEED_START.toISOString().slice(0, 10)}
  --runs       timed page loads per view (after one untimed)
  --keep, --reuse   as bench projections: keep the seeded database, or run on one kept earlier
                    (by this bench or by bench projections with the same --tickets/--seed/--days)
The views show the last full month of the seeded days, as of its end. Needs ${CHROMIUM}
(apt-get install chromium) and the built API and dashboard (npm run build).`;

interface Options {
  tickets: number;
  seed: number;
  days: number;
  runs: number;
  keep: boolean;
  reuse: string | undefined;
}

function parseOptions(args: string[]): Options {
  const { values } = parseCliOptions(
    {
      args,
      options: {
        tickets: { type: 'string', default: '150000' },
        seed: { type: 'string', default: '2013' },
        days: { type: 'string', default: '365' },
        runs: { type: 'string', default: '5' },
        keep: { type: 'boolean', default: false },
        reuse: { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    },
    'bench dashboard --help',
  );
  const whole = (value: string, name: string, min = 1): number => wholeNumberOption(value, name, 'bench dashboard --help', min);
  if (values.keep && values.reuse !== undefined) throw new UsageError('--keep and --reuse exclude each other');
  return {
    tickets: whole(values.tickets, 'tickets'),
    seed: whole(values.seed, 'seed', 0),
    days: whole(values.days, 'days'),
    runs: whole(values.runs, 'runs'),
    keep: values.keep,
    reuse: values.reuse,
  };
}

/** The last full calendar month (UTC dates) of the seeded days, and the instant it ends. */
export function lastFullMonth(start: Date, days: number): { from: string; to: string; asOf: string } {
  const end = new Date(start.getTime() + days * 86_400_000);
  const to = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1));
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 1, 1));
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return { from: day(from), to: day(to), asOf: to.toISOString() };
}

/** Milliseconds from a fresh navigation to the view's data on screen. */
async function timeView(page: Page, url: string, ready: string): Promise<number> {
  await page.goto('about:blank');
  const started = performance.now();
  await page.goto(url);
  await page.waitForSelector(`main[data-ready="${ready}"]`, { timeout: 120_000 });
  return performance.now() - started;
}

export async function dashboardBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const log = stderrLog;
  const projectionLog: ProjectionLog = (level, message, fields) => {
    if (level === 'warn' || level === 'error') log(`${level}: ${message}`, fields);
  };
  const registry = createRegistry({ reportingTimeZone: loadConfig(process.env).reportingTimeZone });
  const workload = { tickets: options.tickets, seed: options.seed, start: SEED_START, days: options.days };
  const print = (...lines: string[]): void => {
    process.stdout.write(`${lines.join('\n')}\n`);
  };
  const target = await openBenchDatabase({ name: 'dashboard_bench', keep: options.keep, reuse: options.reuse, log });
  try {
    const pool = new pg.Pool({ connectionString: target.url, max: 12, idleTimeoutMillis: 0 });
    pool.on('error', (error) => log('idle bench connection failed', { error: error.message }));
    const store = new PostgresEventStore(pool);
    try {
      const server = await describeServer(pool);
      const loadAtStart = loadAverage();
      await migrateEventStore(pool);
      await migrateProjections(pool);
      const seeded = await ensureSeeded(pool, store, workload);
      // A fresh seed is rebuilt the fast way (per stream); a reused database only catches up.
      if (seeded.seconds === undefined) await catchUpAll({ pool, store }, registry, projectionLog);
      else await rebuildAll({ pool, store }, registry, projectionLog);
      const period = lastFullMonth(SEED_START, options.days);
      const state = `preset=custom&from=${period.from}&to=${period.to}&asOf=${encodeURIComponent(period.asOf)}&time=calendar`;
      const api = await startApiProcess({ databaseUrl: target.url, projections: 'off', log });
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const analystKey = await api.createKey('bench-analyst', ['analyst']);
        const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
        await page.goto(`${api.url}/dashboard#/overview?${state}`);
        await page.fill('#api-key', analystKey);
        await page.click('#sign-in');
        await page.waitForSelector('main[data-ready="/overview"]', { timeout: 120_000 });
        const views = [
          { name: 'overview', path: '/overview' },
          { name: 'units', path: '/units' },
        ];
        const results: Array<{ view: string; ms: number[]; medianMs: number; maxMs: number; met: boolean }> = [];
        for (const view of views) {
          const url = `${api.url}/dashboard#${view.path}?${state}`;
          await timeView(page, url, view.path);
          const ms: number[] = [];
          for (let run = 0; run < options.runs; run += 1) ms.push(await timeView(page, url, view.path));
          const medianMs = median(ms);
          results.push({ view: view.name, ms, medianMs, maxMs: Math.max(...ms), met: medianMs < GOAL_MS });
        }
        print(
          '',
          `dashboard benchmark, ${new Date().toISOString()}`,
          `machine:  ${describeMachine()}`,
          `          load average at start ${loadAtStart}`,
          `server:   ${server.version}; ${target.description}`,
          `seed:     ${formatRate(workload.tickets)} tickets, ${formatRate(seeded.events)} events` +
            (seeded.seconds === undefined ? ' (reused)' : `, bulk load ${formatDuration(seeded.seconds)}`),
          `views:    ${period.from} – ${period.to} as of ${period.asOf}; Chromium ${browser.version()}, 1366×768; ` +
            `${options.runs} fresh page loads each after one untimed`,
          '',
          table(
            ['view', 'median ms', 'max ms', 'goal', 'verdict'],
            results.map((r) => [r.view, r.medianMs.toFixed(0), r.maxMs.toFixed(0), `< ${GOAL_MS} ms`, verdict(r.met)]),
          ),
          '',
          `load average at end ${loadAverage()}`,
        );
        const file = writeBenchResult('dashboard', {
          machine: describeMachine(),
          load: { atStart: loadAtStart, atEnd: loadAverage() },
          postgres: { version: server.version, settings: server.settings, database: target.description },
          options,
          period,
          seeded,
          results,
        });
        log(`figures written to ${file}`);
        if (target.keptAs) print(`kept: run again on this database with --reuse ${target.keptAs}`);
      } finally {
        await browser.close();
        await api.stop();
      }
    } finally {
      await store.close();
      await endPool(pool);
    }
  } finally {
    await target.close();
  }
}
