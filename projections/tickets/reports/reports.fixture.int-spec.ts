import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { ReportDatabase, ReportWindow } from '#read-model/reports/report-statement.js';
import { localDaysWindow } from '#read-model/testing/local-days-window.js';
import { pgReportDatabase } from '#read-model/testing/pg-report-database.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { AS_OF_END, AS_OF_MID, HAND_BUILT_STREAMS, MID, ON_HOLD, T1, T2, T3, T4, UNCLAIMED, ZONE } from '../testing/hand-built-tickets.js';
import { writeFixtureTables } from '../testing/report-fixture.js';
import type { BacklogRow } from './backlog/backlog.sql.js';
import { queryTimeBacklogStatement } from './backlog/backlog.js';
import { kpiSummary } from './kpi-summary/kpi-summary.js';
import { ticketList, type TicketListRequest } from './ticket-list/ticket-list.js';
import { unitCategories, unitPerformance, unitUsers } from './unit-performance/unit-performance.js';

/**
 * The reports over hand-built tickets (testing/hand-built-tickets.ts) for what golden-small
 * does not cover: buckets across a month end and an ISO week boundary in Istanbul time, an
 * asOf in the middle of tickets' lives, and the ticket list's pages, sort and filters.
 */

describe('reports over a hand-built fixture', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: ReportDatabase;
  const window = (asOf: string, from = '2026-11-23', to = '2026-12-07', timeZone = ZONE): Promise<ReportWindow> =>
    localDaysWindow(db, asOf, from, to, timeZone);
  /** The backlog series over this projection's tables alone: computed at query time. */
  const backlogSeries = async (w: ReportWindow, unit: string | null = null): Promise<BacklogRow[]> => {
    const { sql, params } = queryTimeBacklogStatement(w, unit);
    return db.query<BacklogRow>(sql, params);
  };

  beforeAll(async () => {
    database = await createTestDatabase('reports_fixture');
    await writeFixtureTables(database.url, HAND_BUILT_STREAMS);
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    db = pgReportDatabase(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  describe('KPI summary buckets in Istanbul time', () => {
    it('cuts months at the local month end, not UTC’s', async () => {
      const entries = await kpiSummary(db, await window(AS_OF_MID), [], 'month');
      expect(entries.map((e) => [e.bucket?.start, e.bucket?.from.toISOString(), e.bucket?.to.toISOString(), e.volume])).toEqual([
        ['2026-11-01', '2026-10-31T21:00:00.000Z', '2026-11-30T21:00:00.000Z', 4],
        ['2026-12-01', '2026-11-30T21:00:00.000Z', '2026-12-31T21:00:00.000Z', 3],
      ]);
    });

    it('cuts ISO weeks at local Monday midnight', async () => {
      const entries = await kpiSummary(db, await window(AS_OF_MID), [], 'week');
      expect(entries.map((e) => [e.bucket?.start, e.volume])).toEqual([
        ['2026-11-23', 1],
        ['2026-11-30', 6],
      ]);
    });

    it('cuts local days, quarters and years', async () => {
      const w = await window(AS_OF_MID);
      expect((await kpiSummary(db, w, [], 'day')).map((e) => [e.bucket?.start, e.volume])).toEqual([
        ['2026-11-29', 1],
        ['2026-11-30', 3],
        ['2026-12-01', 3],
      ]);
      expect((await kpiSummary(db, w, [], 'quarter')).map((e) => [e.bucket?.start, e.bucket?.to.toISOString(), e.volume])).toEqual([
        ['2026-10-01', '2026-12-31T21:00:00.000Z', 7],
      ]);
      expect((await kpiSummary(db, w, [], 'year')).map((e) => [e.bucket?.start, e.volume])).toEqual([['2026-01-01', 7]]);
    });

    it('follows a per-request time zone', async () => {
      const utc = await window(AS_OF_MID, '2026-11-23', '2026-12-07', 'UTC');
      expect((await kpiSummary(db, utc, [], 'month')).map((e) => [e.bucket?.start, e.volume])).toEqual([
        ['2026-11-01', 5],
        ['2026-12-01', 2],
      ]);
    });
  });

  describe('as of an instant in the middle of tickets’ lives', () => {
    it('counts a ticket closed after asOf as open, and one reclassified after asOf in its old category', async () => {
      const mid = await window(AS_OF_MID);
      const byCategory = await kpiSummary(db, mid, ['category'], null);
      expect(Object.fromEntries(byCategory.map((e) => [e.group.category, e.volume]))).toEqual({
        delivery: 2,
        refund: 3,
        technical: 1,
        'wrong-invoice': 1,
      });
      const [all] = await kpiSummary(db, mid, [], null);
      expect(all.trt).toMatchObject({ n: 4, missing: 3 });
      expect(all.aht.n).toBe(4);
      // MID, UNCLAIMED and ON_HOLD were answered after asOf: no FRT for them yet.
      expect(all.frt).toMatchObject({ n: 5, missing: 2 });
      expect(all.request_met_pct).toBe(2 / 4);

      const end = await window(AS_OF_END);
      const later = await kpiSummary(db, end, ['category'], null);
      expect(Object.fromEntries(later.map((e) => [e.group.category, e.volume]))).toEqual({
        complaint: 1,
        delivery: 2,
        refund: 2,
        technical: 1,
        'wrong-invoice': 1,
      });
      const [after] = await kpiSummary(db, end, [], null);
      expect(after.trt).toMatchObject({ n: 7, missing: 0 });
      expect(after.request_met_pct).toBe(5 / 7);
    });

    it('counts an open phase past due at asOf as delayed before any TicketDelayed exists, and a hold freezes the clock', async () => {
      const [mid] = await kpiSummary(db, await window(AS_OF_MID), [], null);
      // Answered on time: T1–T4 and MID; UNCLAIMED is past due; ON_HOLD is paused before its due time (pending).
      expect(mid.on_time_response_pct).toBe(5 / 6);
      expect(mid.sla_compliance_pct).toBe(6 / 7);
      // UNCLAIMED and ON_HOLD are younger than 24 h and unanswered: not yet in the denominator.
      expect(mid.sdr_pct).toBe(1);
      const [end] = await kpiSummary(db, await window(AS_OF_END), [], null);
      // Resuming moved ON_HOLD's response due time by the time on hold: answered on time.
      expect(end.on_time_response_pct).toBe(6 / 7);
    });

    it('groups by the current holder, or by the closing unit and user', async () => {
      const entries = await kpiSummary(db, await window(AS_OF_MID), ['unit', 'user'], null);
      expect(entries.map((e) => [e.group.unit, e.group.user, e.volume])).toEqual([
        ['billing', 'elif', 2],
        ['billing', null, 1],
        ['front', 'ayse', 2],
        ['front', 'can', 2],
      ]);
    });

    it('shows each ticket where it was in the unit report, its users and categories', async () => {
      const mid = await window(AS_OF_MID);
      expect(await unitPerformance(db, mid)).toEqual([
        { unit_id: 'billing', total: 3, delayed: 1, on_time: 2, pool_delayed: 1, in_pool: 1, in_progress: 0, routed_out: 0, closed: 2 },
        { unit_id: 'front', total: 4, delayed: 0, on_time: 4, pool_delayed: 0, in_pool: 0, in_progress: 2, routed_out: 0, closed: 2 },
      ]);
      expect((await unitCategories(db, mid, 'front')).map((r) => [r.category, r.total, r.in_progress])).toEqual([
        ['delivery', 1, 0],
        ['refund', 2, 1],
        ['technical', 1, 1],
      ]);
      const end = await window(AS_OF_END);
      expect((await unitCategories(db, end, 'front')).map((r) => [r.category, r.total, r.closed])).toEqual([
        ['complaint', 1, 1],
        ['delivery', 1, 1],
        ['refund', 1, 1],
        ['technical', 1, 1],
      ]);
      // UNCLAIMED's late response fell due while it sat in billing's pool: the unit's, no user's.
      expect(await unitUsers(db, end, 'billing')).toEqual([
        {
          unit_id: 'billing',
          user_id: 'elif',
          total: 2,
          delayed: 0,
          on_time: 2,
          pool_delayed: null,
          in_pool: 0,
          in_progress: 0,
          routed_out: 0,
          closed: 2,
        },
        {
          unit_id: 'billing',
          user_id: 'murat',
          total: 1,
          delayed: 0,
          on_time: 1,
          pool_delayed: null,
          in_pool: 0,
          in_progress: 0,
          routed_out: 0,
          closed: 1,
        },
      ]);
      expect((await unitPerformance(db, end, 'billing'))[0]).toMatchObject({ total: 3, delayed: 1, pool_delayed: 1, closed: 3 });
    });

    it('computes the backlog at each local midnight, a running day as of asOf', async () => {
      const w = await window(AS_OF_MID, '2026-11-29', '2026-12-07');
      const rows = await backlogSeries(w);
      expect(rows.map((r) => [r.day, r.at.toISOString(), r.unit_id, r.count, r.lt1d, r['1to3d'], r.over_target])).toEqual([
        // T1 closed exactly at midnight: no longer in the backlog then.
        ['2026-11-29', '2026-11-29T21:00:00.000Z', 'billing', 0, 0, 0, 0],
        ['2026-11-29', '2026-11-29T21:00:00.000Z', 'front', 0, 0, 0, 0],
        ['2026-11-30', '2026-11-30T21:00:00.000Z', 'billing', 1, 1, 0, 0],
        ['2026-11-30', '2026-11-30T21:00:00.000Z', 'front', 1, 1, 0, 0],
        ['2026-12-01', '2026-12-01T21:00:00.000Z', 'billing', 1, 1, 0, 0],
        ['2026-12-01', '2026-12-01T21:00:00.000Z', 'front', 2, 1, 1, 0],
        ['2026-12-02', AS_OF_MID.replace('Z', '.000Z'), 'billing', 1, 1, 0, 0],
        ['2026-12-02', AS_OF_MID.replace('Z', '.000Z'), 'front', 2, 1, 1, 0],
      ]);
      expect((await backlogSeries(w, 'front')).map((r) => [r.day, r.unit_id, r.count])).toEqual([
        ['2026-11-29', 'front', 0],
        ['2026-11-30', 'front', 1],
        ['2026-12-01', 'front', 2],
        ['2026-12-02', 'front', 2],
      ]);
    });
  });

  describe('the ticket list behind a cell', () => {
    const request = (overrides: Partial<TicketListRequest>): TicketListRequest => ({
      source: 'opened',
      unit: null,
      user: null,
      category: null,
      channel: null,
      priority: null,
      status: null,
      column: 'volume',
      sort: 'opened_at',
      order: 'asc',
      limit: 50,
      offset: 0,
      ...overrides,
    });

    it('pages through the list in order with the total, past the end too', async () => {
      const w = await window(AS_OF_MID);
      const pages = [];
      for (const offset of [0, 3, 6, 9]) pages.push(await ticketList(db, w, request({ limit: 3, offset })));
      expect(pages.map((p) => p.total)).toEqual([7, 7, 7, 7]);
      expect(pages.map((p) => p.items.map((i) => i.ticket_id))).toEqual([[T1, T2, MID], [T4, T3, ON_HOLD], [UNCLAIMED], []]);
      const newest = await ticketList(db, w, request({ order: 'desc', limit: 2 }));
      expect(newest.items.map((i) => i.ticket_id)).toEqual([UNCLAIMED, ON_HOLD]);
      const byCategory = await ticketList(db, w, request({ sort: 'category', order: 'desc' }));
      expect(byCategory.items.map((i) => [i.category, i.ticket_id])).toEqual([
        ['wrong-invoice', UNCLAIMED],
        ['technical', ON_HOLD],
        ['refund', MID],
        ['refund', T3],
        ['refund', T1],
        ['delivery', T4],
        ['delivery', T2],
      ]);
    });

    it('filters by channel, priority, status and category as of asOf', async () => {
      const w = await window(AS_OF_MID);
      const ids = async (overrides: Partial<TicketListRequest>) =>
        (await ticketList(db, w, request(overrides))).items.map((i) => i.ticket_id).sort();
      expect(await ids({ channel: 'phone' })).toEqual([T1, T3, MID, ON_HOLD].sort());
      expect(await ids({ priority: 'high' })).toEqual([T2, ON_HOLD].sort());
      expect(await ids({ status: 'on_hold' })).toEqual([ON_HOLD]);
      expect(await ids({ status: 'in_pool' })).toEqual([UNCLAIMED]);
      expect(await ids({ category: 'refund' })).toEqual([T1, T3, MID].sort());
      expect(await ids({ column: 'late_response' })).toEqual([UNCLAIMED]);
      expect(await ids({ column: 'pending_response' })).toEqual([ON_HOLD]);
      expect(await ids({ unit: 'front', user: 'can' })).toEqual([T2, ON_HOLD].sort());
      expect((await ticketList(db, await window(AS_OF_END), request({ category: 'refund' }))).items.map((i) => i.ticket_id).sort()).toEqual(
        [T1, T3].sort(),
      );
    });

    it('lists a unit report cell, a user row and a category row, each ticket linked to its detail and log', async () => {
      const w = await window(AS_OF_MID);
      const cell = await ticketList(db, w, request({ source: 'units', unit: 'billing', column: 'pool_delayed' }));
      expect(cell.items).toEqual([
        expect.objectContaining({
          ticket_id: UNCLAIMED,
          status: 'in_pool',
          status_in_unit: 'in_pool',
          delayed: true,
          pool_delayed: true,
          links: { ticket: `/tickets/${UNCLAIMED}`, events: `/tickets/${UNCLAIMED}/events` },
        }),
      ]);
      const ids = async (overrides: Partial<TicketListRequest>) =>
        (await ticketList(db, w, request({ source: 'units', ...overrides }))).items.map((i) => i.ticket_id).sort();
      expect(await ids({ unit: 'front', column: 'in_progress' })).toEqual([MID, ON_HOLD].sort());
      expect(await ids({ unit: 'front', column: 'in_progress', status: 'on_hold' })).toEqual([ON_HOLD]);
      expect(await ids({ unit: 'front', user: 'ayse', column: 'total' })).toEqual([T1, MID].sort());
      expect(await ids({ unit: 'front', category: 'refund', column: 'closed' })).toEqual([T1]);
      expect(await ids({ unit: 'billing', column: 'on_time' })).toEqual([T3, T4].sort());
    });
  });
});
