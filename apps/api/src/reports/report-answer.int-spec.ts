import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { ReportDatabase } from '#read-model/reports/report-statement.js';
import { pgReportDatabase } from '#read-model/testing/pg-report-database.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { kpiCsvColumns, kpiSummaryRows } from '#projections/tickets/reports/kpi-summary/kpi-summary.js';
import { AS_OF_MID, HAND_BUILT_STREAMS, ZONE } from '#projections/tickets/testing/hand-built-tickets.js';
import { writeFixtureTables } from '#projections/tickets/testing/report-fixture.js';
import { sendCsv } from './report-answer.js';
import { resolveReportWindow } from './report-window.js';
import { CapturedResponse } from './testing/captured-response.js';

describe('a report as CSV, over hand-built tickets', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: ReportDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('report_answer');
    await writeFixtureTables(database.url, HAND_BUILT_STREAMS);
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    db = pgReportDatabase(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('writes the KPI summary as RFC 4180 CSV with a header row and the window on every row', async () => {
    const w = await resolveReportWindow(db, { asOf: AS_OF_MID, from: '2026-11-23', to: '2026-12-07' }, new Date(), ZONE);
    const res = new CapturedResponse();
    const rows = await kpiSummaryRows(db, w, ['unit'], 'month');
    await sendCsv(res.asResponse(), 'kpis', w, kpiCsvColumns(['unit'], 'month'), Readable.from(rows));
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['report-time-zone']).toBe(ZONE);
    const lines = res.text.split('\r\n');
    expect(lines[lines.length - 1]).toBe('');
    const header = lines[0].split(',');
    expect(header.slice(0, 5)).toEqual(['bucket_start', 'bucket_from', 'bucket_to', 'unit_id', 'volume']);
    expect(header.slice(-4)).toEqual(['as_of', 'period_from', 'period_to', 'time_zone']);
    const records = lines.slice(1, -1).map((line) => Object.fromEntries(line.split(',').map((value, i) => [header[i], value])));
    expect(records.map((r) => [r.bucket_start, r.unit_id, r.volume, r.as_of, r.time_zone])).toEqual([
      ['2026-11-01', 'billing', '1', '2026-12-02T03:00:00.000Z', ZONE],
      ['2026-11-01', 'front', '3', '2026-12-02T03:00:00.000Z', ZONE],
      ['2026-12-01', 'billing', '2', '2026-12-02T03:00:00.000Z', ZONE],
      ['2026-12-01', 'front', '1', '2026-12-02T03:00:00.000Z', ZONE],
    ]);
    // November's billing ticket closed not_resolved: FCR % has an empty denominator, null, an empty field.
    expect([records[0].fcr_system_pct, records[2].reopen_rate_pct]).toEqual(['', '0']);
  });
});
