import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { ReportDatabase } from '#read-model/reports/report-statement.js';
import { pgReportDatabase } from '#read-model/testing/pg-report-database.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { loadGoldenExpected } from '#test/support/golden-small.js';
import { resolveReportWindow } from './report-window.js';

/** A request's asOf, period and zone, resolved by PostgreSQL as every report statement sees them. */

const ZONE = 'Europe/Istanbul';
// Wednesday 2 Dec 06:00 local.
const AS_OF_MID = '2026-12-02T03:00:00Z';

describe('the report window', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: ReportDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('report_window');
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    db = pgReportDatabase(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('resolves the window of golden-small’s expected.json', async () => {
    const expected = loadGoldenExpected() as ReturnType<typeof loadGoldenExpected> & {
      period: { from: string; to: string };
      reportingTimeZone: string;
    };
    const window = await resolveReportWindow(
      db,
      { asOf: expected.asOf, from: expected.period.from, to: expected.period.to },
      new Date(),
      expected.reportingTimeZone,
    );
    expect(window).toEqual({
      asOf: new Date(expected.asOf),
      from: new Date(expected.period.from),
      to: new Date(expected.period.to),
      timeZone: expected.reportingTimeZone,
    });
  });

  it('takes bare dates as local midnights and defaults to the local month of asOf', async () => {
    const given = await resolveReportWindow(db, { asOf: AS_OF_MID, from: '2026-11-23', to: '2026-12-07' }, new Date(), ZONE);
    expect(given.from.toISOString()).toBe('2026-11-22T21:00:00.000Z');
    expect(given.to.toISOString()).toBe('2026-12-06T21:00:00.000Z');
    // 1 Dec 01:00 local is still 30 Nov in UTC: the default month is December.
    const defaults = await resolveReportWindow(db, { asOf: '2026-11-30T22:00:00Z' }, new Date(), ZONE);
    expect([defaults.from.toISOString(), defaults.to.toISOString()]).toEqual(['2026-11-30T21:00:00.000Z', '2026-12-31T21:00:00.000Z']);
    const local = await resolveReportWindow(db, { asOf: '2026-12-01T00:30:00' }, new Date(), ZONE);
    expect(local.asOf.toISOString()).toBe('2026-11-30T21:30:00.000Z');
    const now = await resolveReportWindow(db, {}, new Date('2026-12-02T03:00:00Z'), ZONE);
    expect(now.asOf.toISOString()).toBe('2026-12-02T03:00:00.000Z');
  });

  it('refuses a period that ends before it starts', async () => {
    await expect(
      resolveReportWindow(db, { asOf: AS_OF_MID, from: '2026-12-07', to: '2026-11-23' }, new Date(), ZONE),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'to', messages: [expect.stringContaining('must be after from')] }],
    });
  });

  it('bounds the period by the local days it touches (REPORT_MAX_DAYS), across DST and partial days', async () => {
    const days = async (from: string, to: string, tz: string, max = 366) => {
      try {
        await resolveReportWindow(db, { asOf: AS_OF_MID, from, to, tz }, new Date(), ZONE, max);
        return 'accepted';
      } catch (error) {
        return (error as { errors: Array<{ field: string; messages: string[] }> }).errors
          .map((e) => `${e.field}: ${/touches (\d+) local days/.exec(e.messages[0])?.[1]}`)
          .join();
      }
    };
    // A leap year is 366 local days, with its DST changes (a 23-hour and a 25-hour day).
    expect(await days('2024-01-01', '2025-01-01', 'Europe/Berlin')).toBe('accepted');
    expect(await days('2024-01-01', '2025-01-02', 'Europe/Berlin')).toBe('to: 367');
    // Noon to noon a year later touches 366 days of 2025 and 2026: both partial ends count.
    expect(await days('2025-03-01T12:00:00', '2026-03-01T12:00:00', 'America/New_York', 365)).toBe('to: 366');
    expect(await days('2025-03-01T12:00:00', '2026-03-01T12:00:00', 'America/New_York', 366)).toBe('accepted');
    // The request: a thousand years, refused in the request's zone.
    expect(await days('1000-01-01', '3000-01-01', 'UTC')).toBe('to: 730485');
    // Only `from` given: the period runs to the end of asOf's month, and `from` is what to change.
    await expect(resolveReportWindow(db, { asOf: AS_OF_MID, from: '1901-01-01' }, new Date(), ZONE, 366)).rejects.toMatchObject({
      errors: [{ field: 'from' }],
    });
  });

  it('refuses instants outside 0001–9999, which PostgreSQL and JavaScript cannot exchange', async () => {
    await expect(resolveReportWindow(db, { asOf: '9999-12-31T23:59:59-14:00' }, new Date(), ZONE)).rejects.toMatchObject({
      errors: [{ field: 'asOf' }],
    });
    await expect(
      resolveReportWindow(db, { asOf: AS_OF_MID, from: '0001-01-01T00:00:00+14:00', to: '2026-01-01' }, new Date(), ZONE),
    ).rejects.toMatchObject({
      errors: [{ field: 'from' }],
    });
  });
});
