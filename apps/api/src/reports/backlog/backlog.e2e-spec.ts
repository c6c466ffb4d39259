import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { endPool } from '#read-model/postgres/close-pools.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { loadGoldenCommands, loadGoldenExpected, toHttpRequest } from '#test/support/golden-small.js';
import { loadConfig } from '#platform';
import { createApp, type App } from '../../create-app.js';
import { BACKLOG_SQL } from '#projections/tickets/reports/backlog/backlog.sql.js';

const ADMIN_KEY = 'backlog-e2e-admin-key-0123456789abcdef';

/**
 * The backlog over HTTP on the product's own registry: golden-small replayed through the API,
 * the projections run inline, and a report with the last command's `minPosition` answers
 * expected.json's backlog (read from unit_days, which read-your-writes waited for), and the
 * same figures as BACKLOG_SQL in another zone.
 */
describe('GET /reports/backlog on the registered projections', () => {
  const expected = loadGoldenExpected() as ReturnType<typeof loadGoldenExpected> & {
    backlogEndOfDay: Record<string, Record<string, Record<string, number>>>;
  };
  let database: TestDatabase;
  let app: App;
  let dataDir: string | undefined;
  let url: string;
  let analyst: string;
  let lastPosition = '';

  async function call(
    method: string,
    pathname: string,
    key: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${url}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  async function createKey(name: string, role: string): Promise<string> {
    return String((await call('POST', '/admin/api-keys', ADMIN_KEY, { name, roles: [role] })).json.key);
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_backlog');
    dataDir = mkdtempSync(path.join(tmpdir(), 'bildirim-backlog-e2e-'));
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      ADMIN_API_KEY: ADMIN_KEY,
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    app = await createApp({ config, env: {} });
    url = await app.listen();
    analyst = await createKey('analyst', 'analyst');
    const importer = await createKey('importer', 'importer');
    for (const [index, command] of loadGoldenCommands().entries()) {
      const request = toHttpRequest(command);
      const answer = await call('POST', `/tickets${request.path}`, importer, request.body, { 'idempotency-key': `golden-${index}` });
      if (answer.status >= 300) throw new Error(`command #${index} refused: ${answer.status} ${JSON.stringify(answer.json)}`);
      lastPosition = String(answer.json.position);
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs unit_days beside tickets, reference and deadlines', async () => {
    const listed = (await call('GET', '/projections', analyst)).json.projections as Array<{ name: string; state: string }>;
    expect(listed.map(({ name, state }) => [name, state]).sort()).toEqual([
      ['deadlines', 'live'],
      ['notifications', 'live'],
      ['reference', 'live'],
      ['tickets', 'live'],
      ['unit_days', 'live'],
    ]);
  });

  it('answers expected.json’s backlog at the ends of its four days once the projections have the last command', async () => {
    const days = Object.keys(expected.backlogEndOfDay).sort();
    const next = new Date(Date.parse(`${days[days.length - 1]}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const answer = await call(
      'GET',
      `/reports/backlog?asOf=${encodeURIComponent(expected.asOf)}&from=${days[0]}&to=${next}` +
        `&minPosition=${encodeURIComponent(lastPosition)}`,
      analyst,
    );
    expect(answer.status).toBe(200);
    const actual: Record<string, Record<string, Record<string, number>>> = {};
    for (const row of answer.json.rows as Array<Record<string, string & number>>) {
      actual[row.day] ??= {};
      actual[row.day][row.unit_id] = {
        count: row.count,
        over_target: row.over_target,
        lt1d: row.lt1d,
        '1to3d': row['1to3d'],
        '3to7d': row['3to7d'],
        ge7d: row.ge7d,
      };
    }
    expect(actual).toEqual(expected.backlogEndOfDay);
  });

  it('answers a request in another zone, and one with the day still running, as BACKLOG_SQL does', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      for (const [tz, asOf] of [
        ['America/New_York', expected.asOf],
        ['Europe/Istanbul', '2026-11-17T10:15:00Z'],
      ]) {
        const answer = await call(
          'GET',
          `/reports/backlog?asOf=${encodeURIComponent(asOf)}&from=2026-11-08&to=2026-11-21&tz=${encodeURIComponent(tz)}`,
          analyst,
        );
        expect(answer.status).toBe(200);
        const period = answer.json.period as { from: string; to: string };
        const { rows } = await pool.query(BACKLOG_SQL, [new Date(asOf).toISOString(), period.from, period.to, tz, null]);
        expect(answer.json.rows).toEqual(JSON.parse(JSON.stringify(rows)));
      }
    } finally {
      await endPool(pool);
    }
  });
});
