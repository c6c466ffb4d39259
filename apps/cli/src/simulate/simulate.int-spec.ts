import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { localDaysWindow } from '#read-model/testing/local-days-window.js';
import { pgReportDatabase } from '#read-model/testing/pg-report-database.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { kpiSummary } from '#projections/tickets/reports/kpi-summary/kpi-summary.js';

/**
 * Acceptance of `cli simulate` (issue 13): the built CLI writes seed 7's centre into two fresh
 * databases, whose event log exports are byte-identical; a third run of the same seed is refused
 * and writes nothing; a dry run writes nothing. The tickets projection is then built from the
 * store and the KPI summary's figures fall in the ranges the README states for 100,000 tickets
 * ("Simulating a contact centre"). The spec runs 2,000 tickets over four weeks: the model has no
 * capacity limit (a ticket's waits do not depend on the others), so its figures are per-ticket
 * rates that depend on the mix of hours, weekdays and holidays, not on the volume, and four
 * whole weeks from New Year's Day hold the same mix as a year.
 */

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../dist/apps/cli/src/main.js');
const run = promisify(execFile);
const SEED = '7';
const TICKETS = 2_000;
const DAYS = 28;
const START = '2026-01-01';

/**
 * The event log export: every event in store order as one JSON line — type, stream, revision,
 * event id, data, metadata (jsonb as PostgreSQL renders it). Left out: the position
 * (transaction id and sequence: the xid depends on what else the cluster ran) and recorded_at
 * (the wall clock of writing); neither is decided by the simulation.
 */
async function exportLog(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ line: string }>(
    `SELECT json_build_array(type, stream_id, revision, event_id, data, metadata)::text AS line
       FROM event_store.events ORDER BY transaction_id, global_seq`,
  );
  return rows.map((row) => row.line).join('\n');
}

/**
 * From the stored openings, in SQL of their own: the share of tickets opened on a weekday between
 * 08:00 and 18:00 in Istanbul (holidays count as weekdays here), and the largest category's share.
 */
async function arrivalFigures(pool: pg.Pool): Promise<{ openingHoursShare: number; topCategoryShare: number }> {
  const { rows } = await pool.query<{ opening_hours: string; top_category: string }>(
    `WITH opened AS (
       SELECT (metadata->>'occurredAt')::timestamptz AT TIME ZONE 'Europe/Istanbul' AS local, data->>'category' AS category
         FROM event_store.events WHERE type = 'TicketOpened')
     SELECT avg((extract(isodow FROM local) <= 5 AND extract(hour FROM local) BETWEEN 8 AND 17)::int)::float8 AS opening_hours,
            (SELECT max(n) FROM (SELECT count(*) AS n FROM opened GROUP BY category) c)::float8 / count(*) AS top_category
       FROM opened`,
  );
  return { openingHoursShare: Number(rows[0].opening_hours), topCategoryShare: Number(rows[0].top_category) };
}

describe('cli simulate (acceptance)', () => {
  const databases: TestDatabase[] = [];
  const pools: pg.Pool[] = [];
  let dataDir: string;

  function cli(database: TestDatabase, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', REPORTING_TIME_ZONE: 'UTC' },
      maxBuffer: 16 * 1024 * 1024,
    });
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'bildirim-simulate-'));
    for (const prefix of ['simulate_a', 'simulate_b']) {
      const database = await createTestDatabase(prefix);
      databases.push(database);
      pools.push(new pg.Pool({ connectionString: database.url, max: 2 }));
    }
  });

  afterAll(async () => {
    for (const pool of pools) await pool.end();
    for (const database of databases) await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the same event log for the same seed, once; its KPIs fall in the README’s ranges', async () => {
    console.log(`simulate seed ${SEED}, ${TICKETS} tickets over ${DAYS} days from ${START}`);
    const args = ['simulate', '--seed', SEED, '--tickets', String(TICKETS), '--days', String(DAYS), '--start', START];
    const [a, b] = databases;
    const first = await cli(a, ...args);
    expect(first.stdout).toContain(`simulate done`);
    expect(first.stdout).toContain(`tickets: ${TICKETS.toLocaleString('en-US')}; events written: `);
    expect(first.stdout).toMatch(/reference entities registered: [1-9][\d,]* \(0 already defined, kept\)/);
    await cli(b, ...args);

    const [exportA, exportB] = await Promise.all(pools.map(exportLog));
    const lines = exportA.split('\n');
    expect(lines.length).toBeGreaterThan(TICKETS * 5);
    // Byte for byte; on a difference, the first line that differs says more than two digests.
    const firstDifference = lines.findIndex((line, index) => line !== exportB.split('\n')[index]);
    expect({ firstDifference, line: lines[firstDifference] }).toEqual({ firstDifference: -1, line: undefined });
    expect(createHash('sha256').update(exportA).digest('hex')).toBe(createHash('sha256').update(exportB).digest('hex'));

    // The same seed again into a store that has it: refused, nothing written.
    await expect(cli(a, ...args)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('already holds seed 7') });
    // A dry run of another seed decides every command and writes nothing.
    const dry = await cli(a, 'simulate', '--seed', '8', '--tickets', '200', '--dry-run');
    expect(dry.stdout).toContain('simulate dry run (nothing written)');
    expect(dry.stdout).toMatch(/tickets: 200; events decided: [1-9]/);
    expect(await exportLog(pools[0])).toBe(exportA);

    await cli(a, 'rebuild', 'tickets');
    const db = pgReportDatabase(pools[0]);
    // Every opening (local days: one more than the span, for the last ticket's minute of jitter), as of long after the last event.
    const window = await localDaysWindow(db, '2026-04-01T00:00:00Z', START, '2026-01-30', 'UTC');
    const [kpis] = await kpiSummary(db, window, [], null);
    const arrivals = await arrivalFigures(pools[0]);
    const figures = {
      volume: kpis.volume,
      ...arrivals,
      frtP50Minutes: (kpis.frt.p50 ?? Number.NaN) / 60,
      onTimeResponse: kpis.on_time_response_pct,
      slaCompliance: kpis.sla_compliance_pct,
      reopenRate: kpis.reopen_rate_pct,
      csat: kpis.csat_pct,
    };
    console.log(`simulated KPIs: ${JSON.stringify(figures)}`);
    // The README's ranges ("Simulating a contact centre"), stated for 100,000 tickets.
    expect(figures.volume).toBe(TICKETS);
    expect(figures.frtP50Minutes).toBeGreaterThanOrEqual(RANGES.frtP50Minutes[0]);
    expect(figures.frtP50Minutes).toBeLessThanOrEqual(RANGES.frtP50Minutes[1]);
    for (const name of ['onTimeResponse', 'slaCompliance', 'reopenRate', 'csat', 'openingHoursShare', 'topCategoryShare'] as const) {
      const value = figures[name];
      expect([name, value !== null && value >= RANGES[name][0] && value <= RANGES[name][1]]).toEqual([name, true]);
    }
  });
});

/** The README's ranges for `simulate --seed 7 --tickets 100000` (and any size from a few thousand tickets over whole weeks). */
const RANGES = {
  frtP50Minutes: [190, 260],
  onTimeResponse: [0.57, 0.67],
  slaCompliance: [0.5, 0.6],
  reopenRate: [0.06, 0.1],
  csat: [0.35, 0.47],
  openingHoursShare: [0.75, 0.84],
  topCategoryShare: [0.24, 0.31],
} as const;
