import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { claim, close, hold, open, reclassify, respond, resume } from '#ticketing/testing/commands.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { backlogSeries } from './backlog/backlog.js';
import { kpiCsvColumns, kpiSummary, kpiSummaryRows } from './kpi-summary/kpi-summary.js';
import { sendCsv } from './report-answer.js';
import type { ReportDatabase } from './report-database.js';
import { resolveReportWindow, type ReportWindow } from './report-window.js';
import { CapturedResponse } from './testing/captured-response.js';
import { pgReportDatabase } from './testing/pg-report-database.js';
import { ticketStream, writeFixtureTables } from '#projections/tickets/testing/report-fixture.js';
import { ticketList, type TicketListRequest } from './ticket-list/ticket-list.js';
import { unitCategories, unitPerformance, unitUsers } from './unit-performance/unit-performance.js';

/**
 * A hand-built fixture for what golden-small does not cover: buckets across a month end and
 * an ISO week boundary in Istanbul time (UTC+3, where the UTC date differs), an asOf in the
 * middle of tickets' lives (closed or reclassified after asOf; an open phase past due with
 * no delay written yet; a hold in progress), CSV, and the ticket list's pages, sort and
 * filters. Tickets are built through the domain (decide/evolve) and the projection's rows.
 */

const ZONE = 'Europe/Istanbul';
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

// Sunday 29 Nov 23:30 local: ISO week of 23 Nov, month of November.
const T1 = id(1);
// Monday 30 Nov 00:30 local (still Sunday in UTC): week of 30 Nov.
const T2 = id(2);
// Tuesday 1 Dec 00:30 local (still 30 Nov in UTC): December.
const T3 = id(3);
// Monday 30 Nov 23:30 local: November, week of 30 Nov.
const T4 = id(4);
// Opened 30 Nov; reclassified refund → complaint and closed after asOf.
const MID = id(5);
// Opened 1 Dec, unclaimed at asOf: claim and response phases past due, no TicketDelayed yet.
const UNCLAIMED = id(6);
// On hold at asOf since before its response due time: the response is still pending.
const ON_HOLD = id(7);

// Wednesday 2 Dec 06:00 local: the middle of MID's, UNCLAIMED's and ON_HOLD's lives.
const AS_OF_MID = '2026-12-02T03:00:00Z';
// After every event.
const AS_OF_END = '2026-12-03T00:00:00Z';

const streams = [
  ticketStream(T1, [
    { at: '2026-11-29T20:30:00Z', command: open({ unitId: 'front', channel: 'phone', category: 'refund', priority: 'normal', claimBy: 'ayse' }) },
    { at: '2026-11-29T20:40:00Z', command: respond('ayse', { solution: true }) },
    { at: '2026-11-29T21:00:00Z', command: close('ayse') },
  ]),
  ticketStream(T2, [
    { at: '2026-11-29T21:30:00Z', command: open({ unitId: 'front', channel: 'email', category: 'delivery', priority: 'high' }) },
    { at: '2026-11-29T21:45:00Z', command: claim('can') },
    { at: '2026-11-29T22:00:00Z', command: respond('can') },
    { at: '2026-11-30T10:00:00Z', command: close('can', { requestMet: false }) },
  ]),
  ticketStream(T3, [
    { at: '2026-11-30T21:30:00Z', command: open({ unitId: 'billing', channel: 'phone', category: 'refund', priority: 'normal', claimBy: 'elif' }) },
    { at: '2026-11-30T21:40:00Z', command: respond('elif') },
    { at: '2026-11-30T22:00:00Z', command: close('elif') },
  ]),
  ticketStream(T4, [
    { at: '2026-11-30T20:30:00Z', command: open({ unitId: 'billing', channel: 'web', category: 'delivery', priority: 'low' }) },
    { at: '2026-11-30T20:40:00Z', command: claim('elif') },
    { at: '2026-11-30T20:50:00Z', command: respond('elif') },
    { at: '2026-11-30T21:10:00Z', command: close('elif', { resolution: 'not_resolved', requestMet: false }) },
  ]),
  ticketStream(MID, [
    { at: '2026-11-30T06:00:00Z', command: open({ unitId: 'front', channel: 'phone', category: 'refund', priority: 'normal' }) },
    { at: '2026-11-30T06:10:00Z', command: claim('ayse') },
    { at: '2026-11-30T06:20:00Z', command: respond('ayse') },
    { at: '2026-12-02T08:00:00Z', command: reclassify({ category: 'complaint' }) },
    { at: '2026-12-02T09:00:00Z', command: close('ayse') },
  ]),
  ticketStream(UNCLAIMED, [
    { at: '2026-12-01T10:00:00Z', command: open({ unitId: 'billing', channel: 'web', category: 'wrong-invoice', priority: 'normal' }) },
    { at: '2026-12-02T05:00:00Z', command: claim('murat') },
    { at: '2026-12-02T05:10:00Z', command: respond('murat') },
    { at: '2026-12-02T05:20:00Z', command: close('murat') },
  ]),
  ticketStream(ON_HOLD, [
    { at: '2026-12-01T08:00:00Z', command: open({ unitId: 'front', channel: 'phone', category: 'technical', priority: 'high' }) },
    { at: '2026-12-01T08:05:00Z', command: claim('can') },
    { at: '2026-12-01T08:30:00Z', command: hold('can') },
    { at: '2026-12-02T06:00:00Z', command: resume('can') },
    { at: '2026-12-02T06:10:00Z', command: respond('can') },
    { at: '2026-12-02T06:30:00Z', command: close('can') },
  ]),
];

describe('reports over a hand-built fixture', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: ReportDatabase;
  const window = (asOf: string, from = '2026-11-23', to = '2026-12-07'): Promise<ReportWindow> => resolveReportWindow(db, { asOf, from, to }, new Date(), ZONE);

  beforeAll(async () => {
    database = await createTestDatabase('reports_fixture');
    await writeFixtureTables(database.url, streams);
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    db = pgReportDatabase(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  describe('the report window', () => {
    it('takes bare dates as local midnights and defaults to the local month of asOf', async () => {
      const given = await window(AS_OF_MID);
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
      await expect(resolveReportWindow(db, { asOf: AS_OF_MID, from: '2026-12-07', to: '2026-11-23' }, new Date(), ZONE)).rejects.toMatchObject({
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
          return (error as { errors: Array<{ field: string; messages: string[] }> }).errors.map((e) => `${e.field}: ${/touches (\d+) local days/.exec(e.messages[0])?.[1]}`).join();
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
      await expect(resolveReportWindow(db, { asOf: AS_OF_MID, from: '1901-01-01' }, new Date(), ZONE, 366)).rejects.toMatchObject({ errors: [{ field: 'from' }] });
    });

    it('refuses instants outside 0001–9999, which PostgreSQL and JavaScript cannot exchange', async () => {
      await expect(resolveReportWindow(db, { asOf: '9999-12-31T23:59:59-14:00' }, new Date(), ZONE)).rejects.toMatchObject({ errors: [{ field: 'asOf' }] });
      await expect(resolveReportWindow(db, { asOf: AS_OF_MID, from: '0001-01-01T00:00:00+14:00', to: '2026-01-01' }, new Date(), ZONE)).rejects.toMatchObject({
        errors: [{ field: 'from' }],
      });
    });
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
      expect((await kpiSummary(db, w, [], 'quarter')).map((e) => [e.bucket?.start, e.bucket?.to.toISOString(), e.volume])).toEqual([['2026-10-01', '2026-12-31T21:00:00.000Z', 7]]);
      expect((await kpiSummary(db, w, [], 'year')).map((e) => [e.bucket?.start, e.volume])).toEqual([['2026-01-01', 7]]);
    });

    it('follows a per-request time zone', async () => {
      const utc = await resolveReportWindow(db, { asOf: AS_OF_MID, from: '2026-11-23', to: '2026-12-07', tz: 'UTC' }, new Date(), ZONE);
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
      expect(Object.fromEntries(byCategory.map((e) => [e.group.category, e.volume]))).toEqual({ delivery: 2, refund: 3, technical: 1, 'wrong-invoice': 1 });
      const [all] = await kpiSummary(db, mid, [], null);
      expect(all.trt).toMatchObject({ n: 4, missing: 3 });
      expect(all.aht.n).toBe(4);
      // MID, UNCLAIMED and ON_HOLD were answered after asOf: no FRT for them yet.
      expect(all.frt).toMatchObject({ n: 5, missing: 2 });
      expect(all.request_met_pct).toBe(2 / 4);

      const end = await window(AS_OF_END);
      const later = await kpiSummary(db, end, ['category'], null);
      expect(Object.fromEntries(later.map((e) => [e.group.category, e.volume]))).toEqual({ complaint: 1, delivery: 2, refund: 2, technical: 1, 'wrong-invoice': 1 });
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
        { unit_id: 'billing', user_id: 'elif', total: 2, delayed: 0, on_time: 2, pool_delayed: null, in_pool: 0, in_progress: 0, routed_out: 0, closed: 2 },
        { unit_id: 'billing', user_id: 'murat', total: 1, delayed: 0, on_time: 1, pool_delayed: null, in_pool: 0, in_progress: 0, routed_out: 0, closed: 1 },
      ]);
      expect((await unitPerformance(db, end, 'billing'))[0]).toMatchObject({ total: 3, delayed: 1, pool_delayed: 1, closed: 3 });
    });

    it('computes the backlog at each local midnight, a running day as of asOf', async () => {
      const w = await window(AS_OF_MID, '2026-11-29', '2026-12-07');
      const rows = await backlogSeries(db, w);
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
      expect((await backlogSeries(db, w, 'front')).map((r) => [r.day, r.unit_id, r.count])).toEqual([
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
      const ids = async (overrides: Partial<TicketListRequest>) => (await ticketList(db, w, request(overrides))).items.map((i) => i.ticket_id).sort();
      expect(await ids({ channel: 'phone' })).toEqual([T1, T3, MID, ON_HOLD].sort());
      expect(await ids({ priority: 'high' })).toEqual([T2, ON_HOLD].sort());
      expect(await ids({ status: 'on_hold' })).toEqual([ON_HOLD]);
      expect(await ids({ status: 'in_pool' })).toEqual([UNCLAIMED]);
      expect(await ids({ category: 'refund' })).toEqual([T1, T3, MID].sort());
      expect(await ids({ column: 'late_response' })).toEqual([UNCLAIMED]);
      expect(await ids({ column: 'pending_response' })).toEqual([ON_HOLD]);
      expect(await ids({ unit: 'front', user: 'can' })).toEqual([T2, ON_HOLD].sort());
      expect((await ticketList(db, await window(AS_OF_END), request({ category: 'refund' }))).items.map((i) => i.ticket_id).sort()).toEqual([T1, T3].sort());
    });

    it('lists a unit report cell, a user row and a category row, each ticket linked to its detail and log', async () => {
      const w = await window(AS_OF_MID);
      const cell = await ticketList(db, w, request({ source: 'units', unit: 'billing', column: 'pool_delayed' }));
      expect(cell.items).toEqual([
        expect.objectContaining({
          ticket_id: UNCLAIMED,
          status: 'in_pool',
          position: 'in_pool',
          delayed: true,
          pool_delayed: true,
          links: { ticket: `/tickets/${UNCLAIMED}`, events: `/tickets/${UNCLAIMED}/events` },
        }),
      ]);
      const ids = async (overrides: Partial<TicketListRequest>) => (await ticketList(db, w, request({ source: 'units', ...overrides }))).items.map((i) => i.ticket_id).sort();
      expect(await ids({ unit: 'front', column: 'in_progress' })).toEqual([MID, ON_HOLD].sort());
      expect(await ids({ unit: 'front', column: 'in_progress', status: 'on_hold' })).toEqual([ON_HOLD]);
      expect(await ids({ unit: 'front', user: 'ayse', column: 'total' })).toEqual([T1, MID].sort());
      expect(await ids({ unit: 'front', category: 'refund', column: 'closed' })).toEqual([T1]);
      expect(await ids({ unit: 'billing', column: 'on_time' })).toEqual([T3, T4].sort());
    });
  });

  describe('CSV', () => {
    it('writes the KPI summary as RFC 4180 CSV with a header row and the window on every row', async () => {
      const w = await window(AS_OF_MID);
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
});
