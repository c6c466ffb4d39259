import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { TICKET_STREAM_PREFIX } from '#ticketing';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ApiProcess, createApiKey, REPO_ROOT, stopAll } from '../support/api-process.js';

/**
 * `cli simulate --api`: the simulated centre's commands sent to the real API process (fresh
 * install: open reference mode) at a fixed rate. Every command is answered with success, each
 * ticket's stream holds its commands' events, and sending the same seed again replays the
 * answers (Idempotency-Key per command): the store does not grow.
 */

const CLI = path.join(REPO_ROOT, 'dist/apps/cli/src/main.js');
const run = promisify(execFile);
const TICKETS = 25;

describe('cli simulate --api', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let pool: pg.Pool;
  let dataDir: string;
  let key: string;

  const simulate = () =>
    run(process.execPath, [CLI, 'simulate', '--seed', '11', '--tickets', String(TICKETS), '--api', api.baseUrl, '--rate', '100'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, BILDIRIM_API_KEY: key },
      maxBuffer: 4 * 1024 * 1024,
    });

  const storeFigures = async (): Promise<{ streams: number; events: number }> => {
    const { rows } = await pool.query<{ streams: string; events: string }>(
      `SELECT count(DISTINCT stream_id) AS streams, count(*) AS events FROM event_store.events WHERE stream_id LIKE $1`,
      [`${TICKET_STREAM_PREFIX}%`],
    );
    return { streams: Number(rows[0].streams), events: Number(rows[0].events) };
  };

  beforeAll(async () => {
    database = await createTestDatabase('e2e_simulate_api');
    dataDir = mkdtempSync(path.join(tmpdir(), 'bildirim-simulate-api-'));
    api = await ApiProcess.start({ databaseUrl: database.url, name: 'simulate-api' });
    key = await createApiKey(api, ['service'], 'load-test');
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });

  afterAll(async () => {
    await stopAll(api);
    await pool.end();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends every command of the seed, each answered with success; sending it again adds nothing', async () => {
    const first = await simulate();
    const sent = /commands: ([\d,]+) sent .*, ([\d,]+) answered with success, 0 not sent/.exec(first.stdout);
    expect(sent).not.toBeNull();
    expect(sent?.[1]).toBe(sent?.[2]);
    expect(Number(sent?.[1].replaceAll(',', ''))).toBeGreaterThan(TICKETS * 3);
    expect(first.stdout).toContain('refused, by status and code:\n  none');
    const stored = await storeFigures();
    expect(stored.streams).toBe(TICKETS);

    const again = await simulate();
    expect(again.stdout).toContain(`${sent?.[1]} answered with success`);
    expect(await storeFigures()).toEqual(stored);
  });
});
