import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { ReportDatabase, ReportWindow } from '#read-model/reports/report-statement.js';
import { localDaysWindow } from '#read-model/testing/local-days-window.js';
import { pgReportDatabase } from '#read-model/testing/pg-report-database.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { applyTicketEvents } from '../apply-ticket-events.js';
import { CALENDAR_VERSIONS, createTableSql, TICKET_TABLES } from '../tables.js';
import { businessRecordedEvents } from '../testing/business-tickets.js';
import { kpiSummary, type Distribution } from './kpi-summary/kpi-summary.js';

/**
 * The reports in business time over the two-calendar fixture (testing/business-tickets.ts, where
 * each ticket's measures are computed by hand). The events go through the projection's handler
 * one at a time (the CalendarDefined events first) into the `analytics` tables the report SQL
 * reads, and as one batch into another schema: the same rows either way. Percentiles are
 * PostgreSQL's percentile_cont: rank p·(n − 1) between the sorted values.
 */

const ZONE = 'Europe/Istanbul';
// After every event.
const AS_OF_END = '2027-01-05T00:00:00Z';
// Saturday 26 Dec 12:00 UTC: B1 (Berlin, holiday weekend) is claimed but not answered yet; the others are closed.
const AS_OF_HOLIDAY = '2026-12-26T12:00:00Z';

const closeTo = (d: Distribution) => ({
  n: d.n,
  mean: d.mean === null ? null : Number(d.mean.toFixed(6)),
  p50: d.p50 === null ? null : Number(d.p50.toFixed(6)),
  p90: d.p90 === null ? null : Number(d.p90.toFixed(6)),
});

describe('reports in business time over two calendars', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let pool: pg.Pool;
  let db: ReportDatabase;
  const window = (asOf: string): Promise<ReportWindow> => localDaysWindow(db, asOf, '2026-12-01', '2027-01-01', ZONE);

  beforeAll(async () => {
    database = await createTestDatabase('reports_business');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    for (const schema of ['analytics', 'one_batch']) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      for (const table of [...TICKET_TABLES, CALENDAR_VERSIONS]) {
        for (const sql of createTableSql(table, `${schema}.${table.name}`)) await client.query(sql);
      }
    }
    const events = businessRecordedEvents();
    for (const event of events) await applyTicketEvents(client, (name) => `analytics.${name}`, [event]);
    await applyTicketEvents(client, (name) => `one_batch.${name}`, events);
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    db = pgReportDatabase(pool);
  });

  afterAll(async () => {
    await pool.end();
    await client.end();
    await database.drop();
  });

  it('resolves the calendars the same way one event at a time and in one batch', async () => {
    for (const table of [...TICKET_TABLES, CALENDAR_VERSIONS]) {
      const order = table.primaryKey.join(', ');
      const one = await client.query(`SELECT * FROM analytics.${table.name} ORDER BY ${order}`);
      const batch = await client.query(`SELECT * FROM one_batch.${table.name} ORDER BY ${order}`);
      expect({ table: table.name, rows: batch.rows }).toEqual({ table: table.name, rows: one.rows });
    }
    const { rows } = await client.query<{ calendar_version_id: string }>(
      'SELECT calendar_version_id FROM analytics.calendar_versions ORDER BY 1',
    );
    expect(rows.map((r) => r.calendar_version_id)).toEqual(['berlin-office@1', 'istanbul-office@1']);
  });

  it('fails a batch whose ticket names a calendar version no CalendarDefined defined, rather than guess', async () => {
    await client.query('CREATE SCHEMA no_calendars');
    for (const table of [...TICKET_TABLES, CALENDAR_VERSIONS]) {
      for (const sql of createTableSql(table, `no_calendars.${table.name}`)) await client.query(sql);
    }
    const tickets = businessRecordedEvents().filter((event) => event.type !== 'CalendarDefined');
    await expect(applyTicketEvents(client, (name) => `no_calendars.${name}`, tickets)).rejects.toThrow(
      /calendar version (istanbul|berlin)-office@1 is named by a ticket but no CalendarDefined event defined it/,
    );
  });

  it('answers every duration of the KPI summary in business seconds, as hand-computed', async () => {
    const [all] = await kpiSummary(db, await window(AS_OF_END), [], null, 'business');
    expect(all.volume).toBe(5);
    // FRT: I1 5400, I2 7200, B1 9000, B2 5400; N1 has no policy (missing). Mean 27000 / 4 = 6750;
    // sorted 5400, 5400, 7200, 9000: p50 at rank 1.5 = 5400 + 0.5 · 1800 = 6300; p90 at 2.7 = 7200 + 0.7 · 1800 = 8460.
    expect({ ...closeTo(all.frt), missing: all.frt.missing }).toEqual({ n: 4, missing: 1, mean: 6750, p50: 6300, p90: 8460 });
    // TRT: 7200, 10800, 10800, 7200. Mean 9000; sorted 7200, 7200, 10800, 10800: p50 = 9000, p90 = 10800.
    expect({ ...closeTo(all.trt), missing: all.trt.missing }).toEqual({ n: 4, missing: 1, mean: 9000, p50: 9000, p90: 10800 });
    // TFS: 7200, 7200, 10800, 7200. Mean 32400 / 4 = 8100; p50 = 7200; p90 at 2.7 = 7200 + 0.7 · 3600 = 9720.
    expect({ ...closeTo(all.tfs), missing: all.tfs.missing }).toEqual({ n: 4, missing: 1, mean: 8100, p50: 7200, p90: 9720 });
    // TTC over pool waits: 1800, 900, 1800, 900 (N1's has no claim clock). Mean 1350; p50 = 1350; p90 at 2.7 = 1800.
    expect(closeTo(all.ttc)).toEqual({ n: 4, mean: 1350, p50: 1350, p90: 1800 });
    // TAT over assignments: 3600, 6300, 7200, 4500. Mean 21600 / 4 = 5400; sorted 3600, 4500, 6300, 7200:
    // p50 = 4500 + 0.5 · 1800 = 5400; p90 = 6300 + 0.7 · 900 = 6930.
    expect(closeTo(all.tat)).toEqual({ n: 4, mean: 5400, p50: 5400, p90: 6930 });
    // AHT over closed tickets: 5400, 9900, 9000, 6300. Mean 30600 / 4 = 7650; sorted 5400, 6300, 9000, 9900:
    // p50 = 6300 + 0.5 · 2700 = 7650; p90 = 9000 + 0.7 · 900 = 9630.
    expect(closeTo(all.aht)).toEqual({ n: 4, mean: 7650, p50: 7650, p90: 9630 });
  });

  it('leaves the calendar figures as they were', async () => {
    const [all] = await kpiSummary(db, await window(AS_OF_END), [], null);
    // FRT 232200, 14400, 340200, 9000, 3600: mean 599400 / 5 = 119880. TRT 234000, 18000, 342000, 10800, 7200: 612000 / 5.
    expect({ ...closeTo(all.frt), missing: all.frt.missing }).toMatchObject({ n: 5, missing: 0, mean: 119880 });
    expect({ ...closeTo(all.trt), missing: all.trt.missing }).toMatchObject({ n: 5, missing: 0, mean: 122400 });
    // TTC 1800, 900, 1800, 4500, 0: 9000 / 5. AHT 232200, 17100, 340200, 6300, 7200: 603000 / 5.
    expect(closeTo(all.ttc)).toMatchObject({ n: 5, mean: 1800 });
    expect(closeTo(all.aht)).toMatchObject({ n: 5, mean: 120600 });
  });

  it('groups business figures by unit, each in its own calendar', async () => {
    const byUnit = await kpiSummary(db, await window(AS_OF_END), ['unit'], null, 'business');
    expect(byUnit.map((e) => [e.group.unit, e.frt.n, e.frt.mean, e.tat.mean, e.aht.mean])).toEqual([
      // Berlin: FRT (9000 + 5400) / 2, TAT (7200 + 4500) / 2, AHT (9000 + 6300) / 2.
      ['berlin', 2, 7200, 5850, 7650],
      // imported: no policy, no business figure.
      ['imported', 0, null, null, null],
      // Istanbul: FRT (5400 + 7200) / 2, TAT (3600 + 6300) / 2, AHT (5400 + 9900) / 2.
      ['istanbul', 2, 6300, 4950, 7650],
    ]);
  });

  it('as of the holiday weekend, counts only the spans ended by then', async () => {
    const [mid] = await kpiSummary(db, await window(AS_OF_HOLIDAY), [], null, 'business');
    // B1 is claimed (TTC 1800) but neither answered nor closed: FRT 5400, 7200, 5400 → 18000 / 3; B1 and N1 missing.
    expect({ n: mid.frt.n, missing: mid.frt.missing, mean: mid.frt.mean }).toEqual({ n: 3, missing: 2, mean: 6000 });
    // TAT 3600, 6300, 4500 → 14400 / 3. AHT over I1, I2, B2 (N1 has none): 5400 + 9900 + 6300 = 21600 / 3.
    expect([mid.tat.n, mid.tat.mean, mid.aht.n, mid.aht.mean]).toEqual([3, 4800, 3, 7200]);
    expect([mid.ttc.n, mid.ttc.mean]).toEqual([4, 1350]);
  });
});
