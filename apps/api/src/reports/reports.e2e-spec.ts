import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { loadGoldenTables } from '#projections/tickets/testing/golden-tables.js';
import { loadGoldenExpected } from '#test/support/golden-small.js';
import { loadConfig } from '#platform';
import { createApp, type App } from '../create-app.js';
import { ManualClock } from '#platform/testing/manual-clock.js';
import { PROJECTION_WAIT, type ProjectionWait } from './projection-wait.js';

/** The reports over HTTP: roles, JSON and CSV, defaults, validation, read-your-writes. */

const ADMIN_KEY = 'reports-e2e-admin-key-0123456789abcdef';
const expected = loadGoldenExpected() as ReturnType<typeof loadGoldenExpected> & {
  period: { from: string; to: string };
  unitReport: Record<string, Record<string, number>>;
};
const waited: string[] = [];
const recordingWait: ProjectionWait = {
  wait: (minPosition) => {
    waited.push(minPosition);
    return Promise.resolve();
  },
};

/** How the projection runner binds PROJECTION_WAIT: a global module. */
@Global()
@Module({ providers: [{ provide: PROJECTION_WAIT, useValue: recordingWait }], exports: [PROJECTION_WAIT] })
class RecordingProjectionWaitModule {}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

describe('reports over HTTP', () => {
  let database: TestDatabase;
  let app: App;
  let url: string;
  let analystKey: string;
  let serviceKey: string;
  const window =
    `asOf=${encodeURIComponent(expected.asOf)}&from=${encodeURIComponent(expected.period.from)}` +
    `&to=${encodeURIComponent(expected.period.to)}`;

  async function get(pathAndQuery: string, key: string | null = analystKey, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${url}${pathAndQuery}`, { headers: { ...headers, ...(key ? { authorization: `Bearer ${key}` } : {}) } });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  async function createKey(name: string, roles: string[]): Promise<string> {
    const response = await fetch(`${url}/admin/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, roles }),
    });
    expect(response.status).toBe(201);
    return String(((await response.json()) as Record<string, unknown>).key);
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_reports');
    await loadGoldenTables(database.url);
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bildirim-reports-e2e-')),
      ADMIN_API_KEY: ADMIN_KEY,
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    // The golden tables are written as plain tables; no projection runs over them.
    app = await createApp({
      config,
      clock: new ManualClock(expected.asOf),
      imports: [RecordingProjectionWaitModule],
      projections: { registry: [] },
    });
    url = await app.listen();
    analystKey = await createKey('analyst', ['analyst']);
    serviceKey = await createKey('call-centre', ['service']);
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  describe('access', () => {
    it('needs a key, and the analyst role (admin passes)', async () => {
      expect((await get('/reports/units', null)).json).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      for (const path of [
        '/reports/units',
        '/reports/units/billing/users',
        '/reports/units/billing/categories',
        '/reports/tickets?unit=billing',
        '/reports/top-categories',
        '/reports/kpis',
        '/reports/backlog',
      ]) {
        const forbidden = await get(path, serviceKey);
        expect({ path, status: forbidden.status, code: forbidden.json.code }).toEqual({ path, status: 403, code: 'FORBIDDEN_ROLE' });
        expect({ path, status: (await get(path)).status }).toEqual({ path, status: 200 });
        expect({ path, status: (await get(path, ADMIN_KEY)).status }).toEqual({ path, status: 200 });
      }
    });
  });

  describe('answers', () => {
    it('states asOf, period and time zone, and defaults to now and the current local month', async () => {
      const answer = await get('/reports/units');
      expect(answer.json).toMatchObject({
        report: 'unit-performance',
        asOf: new Date(expected.asOf).toISOString(),
        period: { from: '2026-10-31T21:00:00.000Z', to: '2026-11-30T21:00:00.000Z' },
        timeZone: 'Europe/Istanbul',
      });
      const utc = await get('/reports/units?tz=UTC');
      expect(utc.json).toMatchObject({ period: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }, timeZone: 'UTC' });
    });

    it('answers the unit report of expected.json for its period and asOf', async () => {
      const answer = await get(`/reports/units?${window}`);
      const rows = answer.json.rows as Array<Record<string, unknown>>;
      expect(Object.fromEntries(rows.map(({ unit_id, ...figures }) => [unit_id, figures]))).toEqual(expected.unitReport);
    });

    it('lists the tickets behind a cell, linked to their detail and event log', async () => {
      const answer = await get(`/reports/tickets?${window}&unit=billing&column=delayed&limit=3&sort=ticket_id`);
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        total: expected.unitReport.billing.delayed,
        limit: 3,
        offset: 0,
        cell: { report: 'units', unit: 'billing', column: 'delayed' },
      });
      const rows = answer.json.rows as Array<{ ticket_id: string; links: Record<string, string> }>;
      expect(rows).toHaveLength(3);
      expect([...rows.map((r) => r.ticket_id)]).toEqual([...rows.map((r) => r.ticket_id)].sort());
      for (const row of rows)
        expect(row.links).toEqual({ ticket: `/tickets/${row.ticket_id}`, events: `/tickets/${row.ticket_id}/events` });
    });

    it('serves the KPI summary grouped and bucketed, top categories and the backlog', async () => {
      const kpis = await get(`/reports/kpis?${window}&groupBy=unit,channel&bucket=week`);
      expect(kpis.json).toMatchObject({ groupBy: ['unit', 'channel'], bucket: 'week' });
      const entries = kpis.json.rows as Array<{ volume: number; bucket: { start: string }; group: Record<string, string> }>;
      expect(entries.reduce((sum, e) => sum + e.volume, 0)).toBe((expected.kpiSummary as { volume: number }).volume);
      expect(Object.keys(entries[0].group)).toEqual(['unit', 'channel']);
      expect(new Date(`${entries[0].bucket.start}T12:00:00Z`).getUTCDay()).toBe(1);
      const top = await get(`/reports/top-categories?${window}&n=2`);
      expect((top.json.rows as unknown[]).length).toBe(2);
      const backlog = await get(`/reports/backlog?asOf=${encodeURIComponent(expected.asOf)}&from=2026-11-16&to=2026-11-20&unit=front`);
      expect((backlog.json.rows as Array<{ day: string; count: number }>).map((r) => [r.day, r.count])).toEqual(
        Object.entries(expected.backlogEndOfDay as Record<string, { front: { count: number } }>).map(([day, units]) => [
          day,
          units.front.count,
        ]),
      );
    });

    it('answers CSV for Accept: text/csv, with a header row and the window', async () => {
      const answer = await get(`/reports/units?${window}`, analystKey, { accept: 'text/csv' });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(answer.headers.get('report-as-of')).toBe(new Date(expected.asOf).toISOString());
      const lines = answer.text.split('\r\n');
      expect(lines[0]).toBe(
        'unit_id,total,delayed,on_time,pool_delayed,in_pool,in_progress,routed_out,closed,as_of,period_from,period_to,time_zone',
      );
      const billing = expected.unitReport.billing;
      expect(lines).toContain(
        `billing,${billing.total},${billing.delayed},${billing.on_time},${billing.pool_delayed},${billing.in_pool},` +
          `${billing.in_progress},${billing.routed_out},${billing.closed},` +
          `${new Date(expected.asOf).toISOString()},${new Date(expected.period.from).toISOString()},` +
          `${new Date(expected.period.to).toISOString()},Europe/Istanbul`,
      );
      const list = await get(`/reports/tickets?${window}&unit=billing&limit=2`, analystKey, { accept: 'text/csv' });
      expect(list.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(list.headers.get('report-total')).toBe(String(expected.unitReport.billing.total));
      expect(list.text.split('\r\n')[0]).toContain('ticket_id,opened_at,');
      expect(list.text.split('\r\n')[0]).toContain(',ticket_url,events_url,');
      for (const path of [
        '/reports/kpis?groupBy=unit&bucket=month',
        '/reports/top-categories',
        '/reports/backlog',
        '/reports/units/billing/users',
      ]) {
        expect({ path, type: (await get(path, analystKey, { accept: 'text/csv' })).headers.get('content-type') }).toEqual({
          path,
          type: 'text/csv; charset=utf-8',
        });
      }
    });

    it('answers time=business from the business columns, says so, and keeps every figure without a duration', async () => {
      type Entry = { volume: number; frt: { n: number; missing: number; mean: number }; trt: { n: number; mean: number } };
      const calendar = await get(`/reports/kpis?${window}`);
      const business = await get(`/reports/kpis?${window}&time=business`);
      expect([calendar.json.time, business.json.time]).toEqual(['calendar', 'business']);
      const [c] = calendar.json.rows as Entry[];
      const [b] = business.json.rows as Entry[];
      // golden-small runs under the built-in policy in calendar time (24x7@1): business time is calendar time less holds.
      expect({ volume: b.volume, frtN: b.frt.n, trtN: b.trt.n }).toEqual({ volume: c.volume, frtN: c.frt.n, trtN: c.trt.n });
      expect(b.trt.mean).toBeLessThan(c.trt.mean);
      for (const path of [
        '/reports/units',
        '/reports/units/billing/users',
        '/reports/units/billing/categories',
        '/reports/top-categories',
      ]) {
        const plain = await get(`${path}?${window}`);
        const inBusiness = await get(`${path}?${window}&time=business`);
        expect({ path, rows: inBusiness.json.rows, time: inBusiness.json.time }).toEqual({ path, rows: plain.json.rows, time: 'business' });
      }
      const csv = await get(`/reports/kpis?${window}&time=business`, analystKey, { accept: 'text/csv' });
      expect(csv.headers.get('report-time')).toBe('business');
      expect(csv.text.split('\r\n')[1]).toContain(`,${b.trt.mean},`);
    });

    it('waits for the projections to reach minPosition before answering', async () => {
      expect((await get('/reports/kpis?minPosition=1042')).status).toBe(200);
      expect(waited).toContain('1042');
    });

    it('is documented in OpenAPI', async () => {
      const document = await get('/docs-json', ADMIN_KEY);
      for (const path of [
        '/reports/units',
        '/reports/units/{unit}/users',
        '/reports/units/{unit}/categories',
        '/reports/tickets',
        '/reports/top-categories',
        '/reports/kpis',
        '/reports/backlog',
      ]) {
        expect(document.text).toContain(`"${path}"`);
      }
    });
  });

  describe('validation', () => {
    const invalid = async (path: string, fields: string[]) => {
      const answer = await get(path);
      expect({ path, status: answer.status, code: answer.json.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
      expect({ path, fields: (answer.json.errors as Array<{ field: string }>).map((e) => e.field).sort() }).toEqual({
        path,
        fields: [...fields].sort(),
      });
    };

    it('names each bad parameter (400 VALIDATION_FAILED)', async () => {
      await invalid('/reports/units?asOf=yesterday', ['asOf']);
      await invalid('/reports/units?from=2026-13-01&tz=Mars/Olympus', ['from', 'tz']);
      await invalid('/reports/units?colour=red', ['colour']);
      await invalid('/reports/units?from=2026-11-19&to=2026-11-08', ['to']);
      await invalid('/reports/kpis?groupBy=unit,colour&bucket=fortnight', ['groupBy', 'bucket']);
      await invalid('/reports/top-categories?n=0', ['n']);
      await invalid('/reports/tickets?unit=billing&limit=0&offset=-1&sort=subject&order=up', ['limit', 'offset', 'sort', 'order']);
      await invalid('/reports/tickets?column=delayed', ['unit']);
      await invalid('/reports/tickets?report=opened&column=in_pool', ['column']);
      await invalid('/reports/tickets?unit=billing&user=elif&column=pool_delayed', ['column']);
      await invalid('/reports/tickets?unit=billing&status=asleep', ['status']);
      await invalid('/reports/kpis?time=wall', ['time']);
      await invalid('/reports/units?time=Business', ['time']);
      await invalid('/reports/units/billing/users?time=', ['time']);
      await invalid('/reports/top-categories?time=working', ['time']);
      await invalid('/reports/tickets?unit=billing&time=office', ['time']);
      // The backlog has no durations: it takes no time parameter.
      await invalid('/reports/backlog?time=business', ['time']);
    });
  });
});
