import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { endPool } from '#read-model/postgres/close-pools.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ApiError } from '#platform';
import { isPoolWaitTimeout, pgReportSessions, type ReportSessions } from './report-database.js';

/** The report sessions on a real PostgreSQL: statement timeout, a full pool, cursors closed whatever happens. */
describe('report sessions on the report pool', () => {
  const TIMEOUT_MS = 1000;
  let database: TestDatabase;
  let pool: pg.Pool;
  let sessions: ReportSessions;
  // For the specs of streaming itself: a timeout no loaded machine reaches.
  let roomyPool: pg.Pool;
  let roomy: ReportSessions;

  beforeAll(async () => {
    database = await createTestDatabase('report_sessions');
    // As connections.ts makes the report pool, with one connection and a short timeout.
    pool = new pg.Pool({
      connectionString: database.url,
      max: 1,
      options: `-c statement_timeout=${TIMEOUT_MS}`,
      connectionTimeoutMillis: TIMEOUT_MS,
    });
    sessions = pgReportSessions(pool, TIMEOUT_MS);
    roomyPool = new pg.Pool({
      connectionString: database.url,
      max: 1,
      options: '-c statement_timeout=60000',
      connectionTimeoutMillis: 60_000,
    });
    roomy = pgReportSessions(roomyPool, 60_000);
  });

  afterAll(async () => {
    await endPool(roomyPool);
    await endPool(pool);
    await database.drop();
  });

  async function failure(work: () => Promise<unknown>): Promise<unknown> {
    return work().then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  async function backendPid(on = sessions): Promise<number> {
    return on.run(async (session) => (await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', []))[0].pid);
  }

  it('answers a statement past the timeout with 503 REPORT_TIMEOUT, and serves the next one on the same connection', async () => {
    const before = await backendPid();
    const error = await failure(() => sessions.run((session) => session.query('SELECT pg_sleep(5)', [])));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'REPORT_TIMEOUT', details: { retryAfterSeconds: 1, timeoutMs: TIMEOUT_MS } });
    expect(await backendPid()).toBe(before);
  });

  it('does the same when the timeout strikes while a streamed statement computes its first rows; discards that connection', async () => {
    const before = await backendPid();
    const error = await failure(() =>
      sessions.run(async (session) => {
        for await (const row of session.stream('SELECT pg_sleep(5) AS slept FROM generate_series(1, 3)', [])) expect(row).toBeUndefined();
      }),
    );
    expect(error).toMatchObject({ kind: 'unavailable', code: 'REPORT_TIMEOUT' });
    expect(await backendPid()).not.toBe(before);
  });

  it('bounds the whole streamed statement, a slow reader included: no report holds its connection past the timeout', async () => {
    // PostgreSQL keeps the statement's timer running while its portal is suspended between fetches.
    let read = 0;
    const error = await failure(() =>
      sessions.run(async (session) => {
        for await (const row of session.stream<{ n: number }>('SELECT n FROM generate_series(1, 5000) AS n', [])) {
          read = row.n;
          if (read % 400 === 0) await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }),
    );
    expect(error).toMatchObject({ kind: 'unavailable', code: 'REPORT_TIMEOUT' });
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(5000);
  });

  it('answers 503 REPORTS_BUSY when no connection frees up within the timeout, then serves again', async () => {
    let release: () => void = () => undefined;
    const held = sessions.run(() => new Promise<void>((resolve) => (release = resolve)));
    const started = Date.now();
    const error = await failure(() => backendPid());
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'REPORTS_BUSY', details: { retryAfterSeconds: 1 } });
    release();
    await held;
    expect(await backendPid()).toEqual(expect.any(Number));
  });

  it('recognises pg-pool’s own refusal (its wording, pinned here)', async () => {
    const client = await pool.connect();
    try {
      const error = await failure(() => pool.connect());
      expect(isPoolWaitTimeout(error)).toBe(true);
    } finally {
      client.release();
    }
    expect(isPoolWaitTimeout(new Error('connection refused'))).toBe(false);
  });

  it('streams a statement larger than a batch, row by row, in order', async () => {
    const seen = await roomy.run(async (session) => {
      let count = 0;
      let last = 0;
      for await (const row of session.stream<{ n: number }>('SELECT n FROM generate_series(1, $1::int) AS n', [20_000])) {
        if (row.n !== last + 1) throw new Error(`row ${row.n} after ${last}`);
        last = row.n;
        count += 1;
      }
      return count;
    });
    expect(seen).toBe(20_000);
  });

  it('closes a cursor left open (a reader that stopped, a stream never read): the connection goes back idle, not discarded', async () => {
    const before = await backendPid(roomy);
    await roomy.run(async (session) => {
      for await (const row of session.stream<{ n: number }>('SELECT n FROM generate_series(1, 100000) AS n', [])) if (row.n === 10) break;
      const unread = session.stream<{ n: number }>('SELECT n FROM generate_series(1, 100000) AS n', []);
      const iterator = unread[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toEqual({ n: 1 });
      // Left open on purpose: the session closes it when the work ends.
    });
    expect(roomyPool.idleCount).toBe(1);
    expect(await backendPid(roomy)).toBe(before);
    const open = await roomy.run((session) => session.query<{ portals: string }>('SELECT count(*)::text AS portals FROM pg_cursors', []));
    expect(open).toEqual([{ portals: '0' }]);
  });
});
