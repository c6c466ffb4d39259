import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startDouble } from '#event-store/eventstoredb/testing/double/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { createRegistry } from '#projections/registry.js';

const PROJECTIONS = createRegistry({ reportingTimeZone: 'Europe/Istanbul' });

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../dist/apps/cli/src/main.js');
const run = promisify(execFile);

/** `cli rebuild` and `cli projections` as the built CLI runs them (`npm test` builds first). */
describe('cli rebuild and cli projections', () => {
  let database: TestDatabase;
  let dataDir: string;

  async function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase('cli_rebuild');
    dataDir = mkdtempSync(path.join(tmpdir(), 'bildirim-cli-rebuild-'));
  });

  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds the first version, rebuilds into a fresh one beside it, switches the views, drops replaced tables on request', async () => {
    const name = PROJECTIONS[0].name;
    const first = await cli('rebuild', name);
    // The first physical version is the definition's version.
    const v = PROJECTIONS[0].version;
    expect(first.stdout).toMatch(new RegExp(`^${name}: built version ${v} \\(definition ${v}\\): 0 events in 00:00`));
    // Not a terminal: plain progress lines, no carriage returns.
    expect(first.stderr).toContain(`${name}: building version ${v} from 0 events`);
    expect(first.stderr).not.toContain('\r');

    const second = await cli('rebuild', name, '--batch-size', '500');
    expect(second.stdout).toContain(`${name}: built version ${v + 1}`);
    const status = JSON.parse((await cli('projections', '--json')).stdout) as Array<{ name: string; version: number; state: string }>;
    expect(status.map(({ version, state }) => [version, state])).toEqual([
      [v, 'retired'],
      [v + 1, 'live'],
    ]);
    expect((await cli('projections')).stdout).toMatch(/NAME\s+VERSION\s+STATE/);

    const third = await cli('rebuild', name, '--drop-retired');
    expect(third.stdout).toContain(`${name}: built version ${v + 2}`);
    expect(third.stdout).toContain(`${name}: dropped retired version ${v}`);
    expect(third.stdout).toContain(`${name}: dropped retired version ${v + 1}`);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const tables = await client.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'projections' AND table_name LIKE '%\\_v_' ORDER BY 1`,
      );
      expect(tables.rows.every((row: { table_name: string }) => row.table_name.endsWith(`_v${v + 2}`))).toBe(true);
      const views = await client.query(
        `SELECT count(*)::int AS n FROM pg_views WHERE schemaname = 'analytics' AND definition LIKE '%_v${v + 2}%'`,
      );
      expect(views.rows[0].n).toBe(PROJECTIONS[0].tables.length);
    } finally {
      await client.end();
    }
  });

  it("with EVENT_STORE=eventstoredb shows progress without a total: PostgreSQL's events table is not where the events are", async () => {
    const double = await startDouble();
    const separate = await createTestDatabase('cli_rebuild_esdb');
    try {
      const env = {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: separate.url,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: double.connectionString,
      };
      // Before, the count of PostgreSQL's (here empty) events table made it "from 0 events" and 100 % at once.
      const { stdout, stderr } = await run(process.execPath, [CLI, 'rebuild', PROJECTIONS[0].name], { env });
      expect(stdout).toContain(`${PROJECTIONS[0].name}: built version`);
      expect(stderr).toMatch(new RegExp(`${PROJECTIONS[0].name}: building version \\d+\n`));
      expect(stderr).not.toMatch(/ from [\d,]+ events/);
      // The closing progress line: counts and rate, no percentage, no ETA.
      expect(stderr).toMatch(new RegExp(`${PROJECTIONS[0].name}  0 events  0 events/s  elapsed 00:0\\d  ETA --:--`));
      expect(stderr).not.toContain('%');
    } finally {
      await double.close();
      await separate.drop();
    }
  });

  it('refuses an unknown projection with the usage and exit code 2', async () => {
    const failure = await cli('rebuild', 'nope').then(
      () => undefined,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('no projection is registered as "nope"');
  });
});
