import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { loadGoldenTables } from '#projections/tickets/testing/golden-tables.js';
import { loadGoldenExpected } from '#test/support/golden-small.js';
import { loadConfig, REPORT_POOL } from '#platform';
import { createApp, type App } from '../create-app.js';
import { ManualClock } from '#platform/testing/manual-clock.js';

/**
 * The bounds of every report over HTTP (issue 7): the period (REPORT_MAX_DAYS, here 31), the
 * pages, the statement timeout and the report pool (here 1 connection, 3 s), each refusal with
 * its status, code and Retry-After; `/health` and commands answer while the reports cannot.
 */

const ADMIN_KEY = 'report-limits-e2e-admin-key-0123456789';
const TIMEOUT_S = 3;
const expected = loadGoldenExpected();

interface Answer {
  status: number;
  headers: Headers;
  json: {
    code?: string;
    errors?: Array<{ field: string; messages: string[] }>;
    details?: Record<string, unknown>;
    rows?: unknown[];
    total?: number;
  };
}

describe('report limits over HTTP', () => {
  let database: TestDatabase;
  let app: App;
  let url: string;
  let analystKey: string;
  let serviceKey: string;

  async function send(method: string, pathAndQuery: string, key: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${url}${pathAndQuery}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, json: (await response.json()) as Answer['json'] };
  }

  const report = (pathAndQuery: string): Promise<Answer> => send('GET', pathAndQuery, analystKey);

  /** What must keep answering while reports cannot: the health check and a command. */
  async function serviceStillAnswers(): Promise<void> {
    expect((await send('GET', '/health', ADMIN_KEY)).status).toBe(200);
    const opened = await send('POST', '/tickets', serviceKey, {
      ticketId: randomUUID(),
      channel: 'web',
      customer: 'c-1',
      category: 'refund',
      priority: 'normal',
      subject: 'while reports wait',
      unitId: 'front',
    });
    expect(opened.status).toBe(201);
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_report_limits');
    await loadGoldenTables(database.url);
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bildirim-report-limits-e2e-')),
      ADMIN_API_KEY: ADMIN_KEY,
      PORT: '0',
      LOG_LEVEL: 'silent',
      REPORT_MAX_DAYS: '31',
      REPORT_STATEMENT_TIMEOUT: `${TIMEOUT_S}s`,
      REPORT_POOL_SIZE: '1',
    });
    app = await createApp({ config, clock: new ManualClock(expected.asOf), projections: { registry: [] } });
    url = await app.listen();
    const key = async (roles: string[]) =>
      String(((await send('POST', '/admin/api-keys', ADMIN_KEY, { name: roles.join('-'), roles })).json as { key?: string }).key);
    analystKey = await key(['analyst']);
    serviceKey = await key(['service']);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('refuses a period touching more than REPORT_MAX_DAYS local days, naming the field, for every report', async () => {
    for (const path of [
      '/reports/units',
      '/reports/units/billing/users',
      '/reports/units/billing/categories',
      '/reports/tickets?unit=billing',
      '/reports/top-categories',
      '/reports/kpis',
      '/reports/backlog',
    ]) {
      const join = path.includes('?') ? '&' : '?';
      // November has 30 days: to 2 December touches 31, to 3 December 32.
      expect({ path, status: (await report(`${path}${join}from=2026-11-01&to=2026-12-02`)).status }).toEqual({ path, status: 200 });
      const over = await report(`${path}${join}from=2026-11-01&to=2026-12-03`);
      expect({ path, status: over.status, code: over.json.code, fields: over.json.errors?.map((e) => e.field) }).toEqual({
        path,
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: ['to'],
      });
      expect(over.json.errors?.[0].messages[0]).toContain('touches 32 local days in Europe/Istanbul; at most 31 (REPORT_MAX_DAYS)');
    }
    // The request; and a `from` alone is what to change.
    expect((await report('/reports/backlog?from=1000-01-01&to=3000-01-01')).json.errors?.map((e) => e.field)).toEqual(['to']);
    expect((await report('/reports/backlog?from=1901-01-01')).json.errors?.map((e) => e.field)).toEqual(['from']);
  });

  it('bounds limit and offset of the drill-down: 400 naming the field, never a 500', async () => {
    const fields = async (query: string) => {
      const answer = await report(`/reports/tickets?unit=billing&${query}`);
      return [answer.status, answer.json.errors?.map((e) => e.field) ?? []];
    };
    expect(await fields('offset=1e18')).toEqual([400, ['offset']]);
    expect(await fields('offset=1000001')).toEqual([400, ['offset']]);
    expect(await fields('offset=9007199254740993')).toEqual([400, ['offset']]);
    expect(await fields('offset=0.5&limit=1001')).toEqual([400, ['limit', 'offset']]);
    const deepest = await report(
      `/reports/tickets?unit=billing&offset=1000000&asOf=${encodeURIComponent(expected.asOf)}&from=2026-11-08&to=2026-11-19`,
    );
    expect([deepest.status, deepest.json.rows, deepest.json.total]).toEqual([
      200,
      [],
      (expected.unitReport as Record<string, { total: number }>).billing.total,
    ]);
  });

  it('answers a statement past REPORT_STATEMENT_TIMEOUT with 503 REPORT_TIMEOUT, Retry-After; /health and commands answer', async () => {
    // A lock the report's statement waits on, as a long statement would keep it busy.
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE analytics.stints IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const [units] = await Promise.all([report('/reports/units'), serviceStillAnswers()]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 50);
      expect(units.status).toBe(503);
      expect(units.headers.get('retry-after')).toBe(String(TIMEOUT_S));
      expect(units.json).toMatchObject({ code: 'REPORT_TIMEOUT', details: { retryAfterSeconds: TIMEOUT_S, timeoutMs: TIMEOUT_S * 1000 } });
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    expect((await report('/reports/units')).status).toBe(200);
  });

  it('answers 503 REPORTS_BUSY, Retry-After when no report connection frees up in time; /health and commands answer', async () => {
    const reportPool = app.nest.get<symbol, pg.Pool>(REPORT_POOL);
    // The pool's only connection, taken as a report running that long would.
    const held = await reportPool.connect();
    try {
      const [kpis] = await Promise.all([report('/reports/kpis'), serviceStillAnswers()]);
      expect(kpis.status).toBe(503);
      expect(kpis.headers.get('retry-after')).toBe(String(TIMEOUT_S));
      expect(kpis.json).toMatchObject({ code: 'REPORTS_BUSY', details: { retryAfterSeconds: TIMEOUT_S } });
    } finally {
      held.release();
    }
    expect((await report('/reports/kpis')).status).toBe(200);
  });
});
