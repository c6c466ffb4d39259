import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { endPool } from '#read-model/postgres/close-pools.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import type { TicketEvent } from '#ticketing';
import { generateTickets } from '#workload';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { KPI_GROUPS } from './kpi-summary/kpi-summary.sql.js';
import { kpiSummaryRows } from './kpi-summary/kpi-summary.js';
import type { ReportDatabase, ReportWindow } from '#read-model/reports/report-statement.js';
import { HOLD_M0, holdTickets } from '#projections/tickets/testing/hold-tickets.js';
import { pgReportDatabase } from '#read-model/testing/pg-report-database.js';
import { writeFixtureTables } from '#projections/tickets/testing/report-fixture.js';
import { TICKET_LIST_OPENED_COLUMNS, TICKET_LIST_UNIT_COLUMNS } from './ticket-list/ticket-list.sql.js';
import { ticketList, type TicketListRequest } from './ticket-list/ticket-list.js';
import { topCategories } from './top-categories/top-categories.js';
import { unitCategories, unitPerformance, unitUsers } from './unit-performance/unit-performance.js';

/**
 * Settled tickets (tickets-as-of.sql.ts) are read from their rows' settled columns; the others
 * are reconstructed as of asOf. Both must give the same figures: this spec runs every report
 * once as written and once with every ticket forced through the query-time path, at instants
 * that cut through tickets' lives (open phases before and after their due times, holds, open
 * pool waits, tickets reopened or routed later) and after everything, on golden-small, a
 * generated load and tickets whose resolution due time meets a hold, and compares the answers.
 */

const SETTLED_TEST = /\b(\w+\.)?(ticket_)?last_event_at (<=|>) \$1::timestamptz/g;

/** The same statements with no ticket settled: every one goes through the query-time CTEs. */
function queryTimeOnly(db: ReportDatabase): ReportDatabase {
  return {
    query: <Row>(sql: string, params: readonly unknown[]) => {
      const tests = sql.match(SETTLED_TEST) ?? [];
      // Every report statement splits its tickets; a statement that no longer did would make this spec vacuous.
      if (tests.length < 2) throw new Error(`no settled/query-time split in:\n${sql}`);
      return db.query<Row>(
        sql.replace(SETTLED_TEST, (_match, _alias, _prefix, operator: string) => (operator === '>' ? 'true' : 'false')),
        params,
      );
    },
  };
}

/** Numbers equal to 1e-9 relative (handling time is summed in another order on each path). */
function normalize(value: unknown): unknown {
  if (typeof value === 'number') return Number(value.toPrecision(10));
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

/**
 * `received` with each number within 1e-9 relative of `expected`'s at the same place replaced
 * by it, so toEqual shows only real differences: averages of the stored business seconds are
 * summed in another order on each path, which can tip a last digit either side of a rounding.
 */
function within1e9(received: unknown, expected: unknown): unknown {
  if (typeof received === 'number' && typeof expected === 'number') {
    return Math.abs(received - expected) <= 1e-9 * Math.max(Math.abs(received), Math.abs(expected)) ? expected : received;
  }
  if (Array.isArray(received) && Array.isArray(expected)) return received.map((r, i) => within1e9(r, expected[i]));
  if (received !== null && expected !== null && typeof received === 'object' && typeof expected === 'object') {
    const other = expected as Record<string, unknown>;
    return Object.fromEntries(Object.entries(received).map(([k, v]) => [k, within1e9(v, other[k])]));
  }
  return received;
}

interface Scenario {
  name: string;
  streams: TicketEvent[][];
  /** the instants compared (default: through the load's life and after it) */
  asOfs?: Date[];
  /** the hold tickets: also check each one's delay against the rule */
  holds?: boolean;
}

const GENERATED_START = new Date('2026-03-02T00:00:00Z');
const DAY_MS = 86_400_000;

const scenarios: Scenario[] = [
  { name: 'golden-small', streams: [...replayThroughDomain(loadGoldenCommands()).values()] },
  {
    name: 'a generated load of 800 tickets over 10 days',
    streams: [...generateTickets({ tickets: 800, seed: 7_2026, start: GENERATED_START, spreadDays: 10, units: 6 })].map((t) => t.events),
  },
  {
    name: 'tickets whose resolution due time meets a hold',
    streams: holdTickets().map((t) => t.events),
    // The end of each day, and an hour into each: on hold before and after due times pass, resumed, closed.
    asOfs: Array.from({ length: 10 }, (_, i) => [
      new Date(HOLD_M0 + (i + 1) * DAY_MS),
      new Date(HOLD_M0 + (i + 1) * DAY_MS + 3_600_000),
    ]).flat(),
    holds: true,
  },
];

describe.each(scenarios)('settled and query-time tickets give the same reports: $name', ({ streams, asOfs: given, holds }) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: ReportDatabase;
  let reference: ReportDatabase;
  const instants = streams.flat().map((event) => Date.parse(event.occurredAt));
  const first = Math.min(...instants);
  const last = Math.max(...instants);
  // Eight instants through the load's life, one a minute after the last event, and one months later.
  const asOfs = given ?? [
    ...Array.from({ length: 8 }, (_, i) => new Date(first + ((i + 1) * (last - first)) / 9 + 17_000)),
    new Date(last + 60_000),
    new Date(last + 90 * 86_400_000),
  ];
  const window = (asOf: Date): ReportWindow => ({
    asOf,
    from: new Date(first - 86_400_000),
    to: new Date(last + 86_400_000),
    timeZone: 'Europe/Istanbul',
  });

  beforeAll(async () => {
    database = await createTestDatabase('reports_settled');
    await writeFixtureTables(database.url, streams);
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    db = pgReportDatabase(pool);
    reference = queryTimeOnly(db);
  }, 120_000);

  afterAll(async () => {
    if (pool) await endPool(pool);
    await database?.drop();
  });

  it('has tickets on both paths at the instants compared', async () => {
    const { rows } = await pool.query<{ settled: string; open: string }>(
      `SELECT count(*) FILTER (WHERE last_event_at <= $1) AS settled, count(*) FILTER (WHERE last_event_at > $1 AND opened_at <= $1) ` +
        `AS open FROM analytics.tickets`,
      [asOfs[4].toISOString()],
    );
    expect(Number(rows[0].settled)).toBeGreaterThan(0);
    expect(Number(rows[0].open)).toBeGreaterThan(0);
  });

  if (holds) {
    it('a resolution due passing on hold is no delay until the resume moved it and it passes again; one passed before is', async () => {
      const tickets = holdTickets();
      for (let k = 1; k <= 9; k++) {
        const w = window(new Date(HOLD_M0 + k * DAY_MS));
        for (const source of [db, reference]) {
          const delayed = Object.fromEntries((await unitPerformance(source, w)).map((row) => [row.unit_id, row.delayed]));
          // Where the ticket is in the backlog at the end of day k, delayed is over target (the backlog spec checks those figures).
          for (const t of tickets) {
            for (const [unit, over] of Object.entries(t.overTargetAtEndOf[k] ?? {})) {
              expect({ day: k, ticket: t.about, unit, delayed: delayed[unit] }).toEqual({
                day: k,
                ticket: t.about,
                unit,
                delayed: over ? 1 : 0,
              });
            }
          }
        }
      }
    });
  }

  it('unit performance, per user and per category', async () => {
    for (const asOf of asOfs) {
      const w = window(asOf);
      const units = await unitPerformance(db, w);
      expect(normalize(units)).toEqual(normalize(await unitPerformance(reference, w)));
      for (const { unit_id } of units.slice(0, 3)) {
        expect(normalize(await unitUsers(db, w, unit_id))).toEqual(normalize(await unitUsers(reference, w, unit_id)));
        expect(normalize(await unitCategories(db, w, unit_id))).toEqual(normalize(await unitCategories(reference, w, unit_id)));
      }
    }
  });

  it('the KPI summary grouped by every dimension and by day, and ungrouped', async () => {
    for (const asOf of asOfs) {
      const w = window(asOf);
      expect(normalize(await kpiSummaryRows(db, w, KPI_GROUPS, 'day'))).toEqual(
        normalize(await kpiSummaryRows(reference, w, KPI_GROUPS, 'day')),
      );
      const [all] = await kpiSummaryRows(db, w, [], null);
      expect(all.volume).toBeGreaterThan(0);
      expect(normalize([all])).toEqual(normalize(await kpiSummaryRows(reference, w, [], null)));
      expect(normalize(await topCategories(db, w, 20))).toEqual(normalize(await topCategories(reference, w, 20)));
      // In business time too (calendar time less holds here: every clock of these loads is 24x7@1).
      const business = await kpiSummaryRows(reference, w, ['unit'], null, 'business');
      expect(within1e9(await kpiSummaryRows(db, w, ['unit'], null, 'business'), business)).toEqual(business);
    }
  });

  it('the ticket lists behind every cell', async () => {
    const base: Omit<TicketListRequest, 'source' | 'unit' | 'user' | 'column'> = {
      category: null,
      channel: null,
      priority: null,
      status: null,
      sort: 'opened_at',
      order: 'asc',
      limit: 5000,
      offset: 0,
    };
    for (const asOf of [asOfs[2], asOfs[5], asOfs[8]]) {
      const w = window(asOf);
      const [unit] = await unitPerformance(db, w);
      const [user] = await unitUsers(db, w, unit.unit_id);
      for (const column of TICKET_LIST_UNIT_COLUMNS) {
        const unitCell: TicketListRequest = { ...base, source: 'units', unit: unit.unit_id, user: null, column };
        expect(normalize(await ticketList(db, w, unitCell))).toEqual(normalize(await ticketList(reference, w, unitCell)));
        if (column === 'pool_delayed') continue;
        const userCell: TicketListRequest = { ...unitCell, user: user.user_id ?? null };
        expect(normalize(await ticketList(db, w, userCell))).toEqual(normalize(await ticketList(reference, w, userCell)));
      }
      for (const column of TICKET_LIST_OPENED_COLUMNS) {
        const openedCell: TicketListRequest = { ...base, source: 'opened', unit: null, user: null, column };
        expect(normalize(await ticketList(db, w, openedCell))).toEqual(normalize(await ticketList(reference, w, openedCell)));
      }
    }
  });
});
