import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '#api/create-app.js';
import { loadGoldenTables } from '#projections/tickets/testing/golden-tables.js';
import { loadConfig } from '#platform';
import { ManualClock } from '#platform/testing/manual-clock.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';

/**
 * The dashboard's sign-in (issue 15): an analyst key is exchanged once for a session cookie
 * (HttpOnly, SameSite=Strict, expiring, Secure behind a trusted TLS proxy) that opens the
 * report and ticket reads and nothing else; wrong, role-less and revoked keys are refused;
 * revocation, expiry and sign-out end it; no key reaches a log line.
 */

const ADMIN_KEY = 'dashboard-e2e-admin-key-0123456789abcdef';
const TTL_MS = 30 * 60 * 1000;

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

describe('dashboard sign-in over HTTP', () => {
  let database: TestDatabase;
  let app: App;
  let url: string;
  const clock = new ManualClock('2026-11-20T09:00:00Z');
  const logLines: string[] = [];
  let analyst: { key: string; id: string };
  let service: string;
  let ticketId: string;

  async function call(
    method: string,
    pathname: string,
    options: { key?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${pathname}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  async function createKey(name: string, roles: string[]): Promise<{ key: string; id: string }> {
    const answer = await call('POST', '/admin/api-keys', { key: ADMIN_KEY, body: { name, roles } });
    expect(answer.status).toBe(201);
    return { key: String(answer.json.key), id: String(answer.json.id) };
  }

  /** Signs in; the cookie as a browser sends it back (name=value), and the Set-Cookie line as answered. */
  async function signIn(key: string, headers: Record<string, string> = {}): Promise<{ cookie: string; setCookie: string; answer: Answer }> {
    const answer = await call('POST', '/dashboard/session', { body: { key }, headers });
    const setCookie = answer.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0], setCookie, answer };
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_dashboard_session');
    // The reports' tables, filled with golden-small; no projection runs here (registry: []).
    await loadGoldenTables(database.url);
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bildirim-dashboard-e2e-')),
      ADMIN_API_KEY: ADMIN_KEY,
      PORT: '0',
      LOG_LEVEL: 'info',
      TRUST_PROXY: 'loopback',
      DASHBOARD_SESSION_TTL: '30min',
    });
    app = await createApp({ config, clock, logSink: (line) => logLines.push(line), projections: { registry: [] } });
    url = await app.listen();
    analyst = await createKey('analyst-e2e', ['analyst']);
    service = (await createKey('call-centre', ['service'])).key;
    const opened = await call('POST', '/tickets', {
      key: service,
      body: { channel: 'phone', customer: 'c-1', category: 'refund', priority: 'normal', subject: 'refund please', unitId: 'billing' },
    });
    expect(opened.status).toBe(201);
    ticketId = String(opened.json.ticketId);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('refuses a wrong key, a key without the analyst role and a revoked key, and sets no cookie', async () => {
    const wrong = await signIn('bk_000000000000_not-a-key-at-all');
    expect([wrong.answer.status, wrong.answer.json.code, wrong.setCookie]).toEqual([401, 'UNAUTHENTICATED', '']);
    for (const roles of [['service'], ['auditor'], ['importer']]) {
      const other = await signIn((await createKey(`no-analyst-${roles[0]}`, roles)).key);
      expect([roles, other.answer.status, other.answer.json.code, other.setCookie]).toEqual([roles, 403, 'FORBIDDEN_ROLE', '']);
    }
    const revoked = await createKey('revoked-analyst', ['analyst']);
    expect((await call('DELETE', `/admin/api-keys/${revoked.id}`, { key: ADMIN_KEY })).status).toBe(200);
    const refused = await signIn(revoked.key);
    expect([refused.answer.status, refused.answer.json.code, refused.setCookie]).toEqual([401, 'UNAUTHENTICATED', '']);
  });

  it('answers an HttpOnly, SameSite=Strict, expiring cookie for an analyst key; Secure only behind a trusted proxy over TLS', async () => {
    const plain = await signIn(analyst.key);
    expect(plain.answer.status).toBe(201);
    expect(plain.answer.json).toEqual({
      name: 'analyst-e2e',
      roles: ['analyst'],
      expiresAt: new Date(clock.now().getTime() + TTL_MS).toISOString(),
      timeZone: 'Europe/Istanbul',
    });
    expect(plain.setCookie).toMatch(/^bildirim_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=1800; HttpOnly; SameSite=Strict$/);
    // The test's requests come from loopback, which TRUST_PROXY trusts here.
    const behindTls = await signIn(analyst.key, { 'x-forwarded-proto': 'https' });
    expect(behindTls.setCookie).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    expect(behindTls.cookie).not.toBe(plain.cookie);
  });

  it('opens the reports and the ticket reads with the cookie alone', async () => {
    const { cookie } = await signIn(analyst.key);
    expect((await call('GET', '/dashboard/session', { cookie })).json).toMatchObject({ name: 'analyst-e2e', roles: ['analyst'] });
    for (const pathname of [
      '/reports/units',
      '/reports/kpis',
      '/reports/backlog',
      `/tickets/${ticketId}`,
      `/tickets/${ticketId}/events`,
      `/tickets/${ticketId}/state?at=2026-11-20T09:00:00Z`,
    ]) {
      expect({ pathname, status: (await call('GET', pathname, { cookie })).status }).toEqual({ pathname, status: 200 });
    }
    expect((await call('GET', '/reports/units')).status).toBe(401);
  });

  it('opens no command or admin endpoint (403), even when signed in with an admin key', async () => {
    const before = (await call('GET', `/tickets/${ticketId}`, { key: service })).json.revision;
    const sessions = [(await signIn(analyst.key)).cookie, (await signIn(ADMIN_KEY)).cookie];
    for (const cookie of sessions) {
      const refused = [
        await call('POST', `/tickets/${ticketId}/claim`, { cookie, body: { userId: 'deniz' } }),
        await call('POST', '/tickets', {
          cookie,
          body: { channel: 'web', customer: 'c', category: 'x', priority: 'low', subject: 's', unitId: 'front' },
        }),
        await call('GET', '/admin/api-keys', { cookie }),
        await call('POST', '/admin/api-keys', { cookie, body: { name: 'sneaky', roles: ['admin'] } }),
      ];
      expect(refused.map((answer) => [answer.status, answer.json.code])).toEqual(Array(4).fill([403, 'SESSION_READ_ONLY']));
    }
    // Nothing was written.
    expect((await call('GET', `/tickets/${ticketId}`, { key: service })).json.revision).toBe(before);
    expect(typeof before).toBe('number');
  });

  it('ends on sign-out: the cookie is cleared and refused from then on', async () => {
    const { cookie } = await signIn(analyst.key);
    const out = await call('DELETE', '/dashboard/session', { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('bildirim_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
    expect([
      (await call('GET', '/reports/units', { cookie })).status,
      (await call('GET', '/dashboard/session', { cookie })).status,
    ]).toEqual([401, 401]);
  });

  it('ends when it expires', async () => {
    const { cookie } = await signIn(analyst.key);
    clock.advance(TTL_MS - 1000);
    expect((await call('GET', '/reports/units', { cookie })).status).toBe(200);
    clock.advance(1000);
    expect((await call('GET', '/reports/units', { cookie })).json).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
  });

  it('ends when its key is revoked', async () => {
    const key = await createKey('soon-revoked', ['analyst']);
    const { cookie } = await signIn(key.key);
    expect((await call('GET', '/reports/units', { cookie })).status).toBe(200);
    expect((await call('DELETE', `/admin/api-keys/${key.id}`, { key: ADMIN_KEY })).status).toBe(200);
    expect((await call('GET', '/reports/units', { cookie })).status).toBe(401);
  });

  it('serves the page (built by npm run build) with a policy that allows scripts from this origin only, none inline', async () => {
    const page = await fetch(`${url}/dashboard`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await page.text();
    // no inline script: every <script> names its file
    expect([...html.matchAll(/<script([^>]*)>/g)].map((match) => match[1].includes('src='))).toEqual([true, true]);
    const script = await fetch(`${url}/dashboard/assets/main.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    const missing = await fetch(`${url}/dashboard/assets/nope.js`);
    expect([missing.status, ((await missing.json()) as { code: string }).code]).toEqual([404, 'ASSET_NOT_FOUND']);
  });

  it('never writes a key or a session token into a log line', async () => {
    const { cookie } = await signIn(analyst.key);
    await call('GET', '/reports/units', { cookie });
    const token = cookie.split('=')[1];
    expect(logLines.length).toBeGreaterThan(10);
    const leaks = logLines.filter(
      (line) => line.includes(analyst.key) || line.includes(ADMIN_KEY) || line.includes(service) || line.includes(token),
    );
    expect(leaks).toEqual([]);
    // the log does name who signed in, by key id
    expect(logLines.some((line) => line.includes('dashboard session opened') && line.includes(analyst.id))).toBe(true);
  });
});
