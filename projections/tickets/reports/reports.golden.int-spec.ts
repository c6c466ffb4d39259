import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { ReportDatabase, ReportWindow } from '#read-model/reports/report-statement.js';
import { localDaysWindow } from '#read-model/testing/local-days-window.js';
import { pgReportDatabase } from '#read-model/testing/pg-report-database.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { loadGoldenExpected } from '#test/support/golden-small.js';
import { loadGoldenTables } from '../testing/golden-tables.js';
import { DELAYS_AS_OF } from './as-of/delays-as-of.sql.js';
import { TICKET_FACTS } from './as-of/ticket-facts.sql.js';
import { TICKETS_AS_OF } from './as-of/tickets-as-of.sql.js';
import { queryTimeBacklogStatement } from './backlog/backlog.js';
import type { BacklogRow } from './backlog/backlog.sql.js';
import { kpiSummary, type KpiSummaryEntry } from './kpi-summary/kpi-summary.js';
import { topCategories } from './top-categories/top-categories.js';
import { unitCategories, unitPerformance, unitUsers, UNIT_PERFORMANCE_COLUMNS } from './unit-performance/unit-performance.js';
import type { UnitPerformanceRow } from './unit-performance/unit-performance.sql.js';

/**
 * golden-small (../shared/fixtures/golden-small): every report figure of expected.json, for
 * its period and asOf, read from expected.json itself. Durations agree to the millisecond,
 * rates to 1e-12; counts exactly.
 */

type Figures = Record<string, unknown>;
type Expected = ReturnType<typeof loadGoldenExpected> & {
  period: { from: string; to: string };
  reportingTimeZone: string;
  unitReport: Record<string, Figures>;
  unitCategoryReport: Record<string, Record<string, Figures>>;
  userReport: Record<string, Figures>;
  kpiSummary: Figures;
  kpiSummaryByUnit: Record<string, Figures>;
  topCategories: Figures[];
  backlogEndOfDay: Record<string, Record<string, Figures>>;
};

const HALF_MS = 0.0005;
const RATE_TOLERANCE = 1e-12;

/** Columns of a unit report row as in expected.json. */
function unitFigures(row: UnitPerformanceRow): Figures {
  return Object.fromEntries(UNIT_PERFORMANCE_COLUMNS.map((column) => [column, row[column]]));
}

function expectDuration(actual: number | null, expected: unknown, label: string): void {
  if (expected === null) {
    expect({ label, actual }).toEqual({ label, actual: null });
    return;
  }
  if (actual === null || Math.abs(actual - (expected as number)) >= HALF_MS) {
    throw new Error(`${label}: ${actual} differs from ${String(expected)} by half a millisecond or more`);
  }
}

function expectRate(actual: number | null, expected: unknown, label: string): void {
  if (expected === null || actual === null) {
    expect({ label, actual }).toEqual({ label, actual: expected });
    return;
  }
  if (Math.abs(actual - (expected as number)) > RATE_TOLERANCE) throw new Error(`${label}: ${actual} ≠ ${String(expected)}`);
}

/** Every key of an expected KPI summary: distributions {n, mean, p50, p90}, rates, volume. */
function expectKpis(entry: KpiSummaryEntry | undefined, expected: Figures, label: string): void {
  if (!entry) throw new Error(`${label}: no KPI summary row`);
  const actual = entry as unknown as Record<string, unknown>;
  for (const [figure, value] of Object.entries(expected)) {
    if (value !== null && typeof value === 'object') {
      const distribution = actual[figure] as Record<string, number | null>;
      for (const [part, number] of Object.entries(value as Record<string, number | null>)) {
        if (part === 'n')
          expect({ figure: `${label}.${figure}.n`, value: distribution.n }).toEqual({ figure: `${label}.${figure}.n`, value: number });
        else expectDuration(distribution[part], number, `${label}.${figure}.${part}`);
      }
    } else if (figure === 'volume') {
      expect({ figure: `${label}.volume`, value: entry.volume }).toEqual({ figure: `${label}.volume`, value });
    } else {
      expectRate(actual[figure] as number | null, value, `${label}.${figure}`);
    }
  }
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

describe('reports over golden-small, against expected.json', () => {
  const expected = loadGoldenExpected() as Expected;
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: ReportDatabase;
  let window: ReportWindow;

  beforeAll(async () => {
    database = await createTestDatabase('reports_golden');
    await loadGoldenTables(database.url);
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    db = pgReportDatabase(pool);
    // expected.json states its period as instants (local midnights); the API's resolution of them is report-window.int-spec's.
    window = {
      asOf: new Date(expected.asOf),
      from: new Date(expected.period.from),
      to: new Date(expected.period.to),
      timeZone: expected.reportingTimeZone,
    };
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('unitReport: every unit and column', async () => {
    const rows = await unitPerformance(db, window);
    expect(Object.fromEntries(rows.map((row) => [row.unit_id, unitFigures(row)]))).toEqual(expected.unitReport);
  });

  it('unitCategoryReport: every category of every unit', async () => {
    for (const unit of Object.keys(expected.unitReport)) {
      const rows = await unitCategories(db, window, unit);
      expect({ unit, categories: Object.fromEntries(rows.map((row) => [row.category, unitFigures(row)])) }).toEqual({
        unit,
        categories: expected.unitCategoryReport[unit] ?? {},
      });
    }
  });

  it('userReport: every user of every unit, with no pool-delay figure', async () => {
    const actual: Record<string, Figures> = {};
    for (const unit of Object.keys(expected.unitReport)) {
      for (const row of await unitUsers(db, window, unit)) actual[`${row.unit_id}/${row.user_id}`] = unitFigures(row);
    }
    expect(actual).toEqual(expected.userReport);
  });

  it('kpiSummary: every distribution and rate over the tickets opened in the period', async () => {
    const entries = await kpiSummary(db, window, [], null);
    expect(entries).toHaveLength(1);
    expectKpis(entries[0], expected.kpiSummary, 'kpiSummary');
  });

  it('kpiSummaryByUnit: grouped by the current holder’s unit (the closing unit for closed tickets)', async () => {
    const entries = await kpiSummary(db, window, ['unit'], null);
    expect(entries.map((entry) => entry.group.unit).sort()).toEqual(Object.keys(expected.kpiSummaryByUnit).sort());
    for (const [unit, figures] of Object.entries(expected.kpiSummaryByUnit)) {
      expectKpis(
        entries.find((entry) => entry.group.unit === unit),
        figures,
        `kpiSummaryByUnit.${unit}`,
      );
    }
  });

  it('topCategories: the ranking, volumes and both rates', async () => {
    const rows = await topCategories(db, window, 10);
    expect(rows.map((row) => [row.category, row.volume])).toEqual(expected.topCategories.map((row) => [row.category, row.volume]));
    for (const [i, row] of expected.topCategories.entries()) {
      expectRate(rows[i].on_time_response_pct, row.on_time_response_pct, `topCategories.${String(row.category)}.on_time_response_pct`);
      expectRate(rows[i].request_met_pct, row.request_met_pct, `topCategories.${String(row.category)}.request_met_pct`);
    }
  });

  it('backlogEndOfDay: the four days, per holding unit (computed at query time; the daily series is checked against it)', async () => {
    const days = Object.keys(expected.backlogEndOfDay).sort();
    const backlogWindow = await localDaysWindow(db, expected.asOf, days[0], nextDay(days[days.length - 1]), expected.reportingTimeZone);
    const { sql, params } = queryTimeBacklogStatement(backlogWindow);
    const rows = await db.query<BacklogRow>(sql, params);
    const actual: Record<string, Record<string, Figures>> = {};
    for (const row of rows) {
      if (row.count === 0) continue;
      const { day, unit_id, ends_at: _ends, at: _at, ...figures } = row;
      (actual[day] ??= {})[unit_id] = figures;
    }
    expect(actual).toEqual(expected.backlogEndOfDay);
  });

  it('tickets: each ticket’s measures as of asOf, by the same SQL fragments the reports use', async () => {
    const sql = `WITH scope AS (SELECT ticket_id FROM analytics.tickets
                 WHERE opened_at <= $1::timestamptz AND last_event_at > $1::timestamptz),
settled AS (SELECT * FROM analytics.tickets WHERE opened_at <= $1::timestamptz AND last_event_at <= $1::timestamptz),
${DELAYS_AS_OF},
${TICKETS_AS_OF},
${TICKET_FACTS}
SELECT f.ticket_id, f.frt, f.trt, f.tfs, f.handling, f.response_state, f.same_day, f.fcr_system, f.request_met,
       f.escalated, f.reopened, f.closed, f.category, f.channel, f.priority,
       (SELECT array_agg(w.ttc_s ORDER BY w.n) FROM analytics.pool_waits w
         WHERE w.ticket_id = f.ticket_id AND w.started_at <= $1::timestamptz) AS ttc,
       (SELECT array_agg(a.tat_s ORDER BY a.n) FROM analytics.assignments a
         WHERE a.ticket_id = f.ticket_id AND a.claimed_at <= $1::timestamptz) AS tat
  FROM ticket_facts f`;
    const rows = await db.query<Record<string, unknown>>(sql, [window.asOf.toISOString()]);
    expect(rows).toHaveLength(expected.tickets.length);
    for (const t of expected.tickets) {
      const row = rows.find((r) => r.ticket_id === t.ticket);
      if (!row) throw new Error(`ticket ${t.ticket} missing`);
      const label = `ticket ${t.ticket}`;
      for (const measure of ['frt', 'trt', 'tfs', 'handling'])
        expectDuration(row[measure] as number | null, t[measure], `${label}.${measure}`);
      for (const measure of ['ttc', 'tat'] as const) {
        const values = (row[measure] as Array<number | null> | null) ?? [];
        expect({ label, measure, count: values.length }).toEqual({ label, measure, count: (t[measure] as unknown[]).length });
        (t[measure] as Array<number | null>).forEach((value, i) => expectDuration(values[i], value, `${label}.${measure}[${i}]`));
      }
      expect({
        label,
        response_state: row.response_state,
        same_day: row.same_day,
        fcr_system: row.fcr_system,
        request_met: row.closed ? row.request_met : null,
        escalated: row.escalated,
        reopened: row.reopened,
        closed: row.closed,
        category: row.category,
        channel: row.channel,
        priority: row.priority,
      }).toEqual({
        label,
        response_state: t.response_state,
        same_day: t.same_day,
        fcr_system: t.fcr_system,
        request_met: t.request_met,
        escalated: t.escalated,
        reopened: t.reopened,
        closed: t.closed,
        category: t.category,
        channel: t.channel,
        priority: t.priority,
      });
    }
  });
});
