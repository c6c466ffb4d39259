import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresEventStore } from '#event-store';
import { ReferenceStore } from '#platform';
import { REFERENCE_TABLES } from '#projections/reference/tables.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { REFERENCE_DATA_SCHEMA } from './reference-data-schema.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const CLI = path.join(REPO, 'dist/apps/cli/src/main.js');
const EXAMPLE = path.join(REPO, 'docs/examples/reference-data.yaml');
const run = promisify(execFile);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `cli ref export` and `cli ref import` as the built CLI runs them (`npm test` builds first), on PostgreSQL. */
describe('cli ref export and import', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let dataDir: string;

  async function cli(database: TestDatabase, ...args: string[]): Promise<CliRun> {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  /** Every ref_* table, as analysts see it, but who changed each row and when: that is the import on each database. */
  async function referenceTables(database: TestDatabase): Promise<Record<string, unknown[]>> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const out: Record<string, unknown[]> = {};
      for (const table of REFERENCE_TABLES) {
        const { rows } = await client.query<Record<string, unknown>>(
          `SELECT * FROM analytics.${table.name} ORDER BY ${table.primaryKey.join(', ')}`,
        );
        out[table.name] = rows.map(({ changed_at: _changedAt, changed_by: _changedBy, ...row }) => row);
      }
      return out;
    } finally {
      await client.end();
    }
  }

  async function storedEvents(database: TestDatabase): Promise<number> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM event_store.events');
      return Number(rows[0].count);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    source = await createTestDatabase('cli_ref_source');
    target = await createTestDatabase('cli_ref_target');
    dataDir = mkdtempSync(path.join(tmpdir(), 'bildirim-cli-ref-'));
  });

  afterAll(async () => {
    await source.drop();
    await target.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes the schema it validates with', () => {
    expect(JSON.parse(readFileSync(path.join(REPO, 'docs/schemas/reference-data.schema.json'), 'utf8'))).toEqual(REFERENCE_DATA_SCHEMA);
  });

  it('imports the example, and a second import changes nothing', async () => {
    const first = await cli(source, 'ref', 'import', EXAMPLE);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^Imported .*reference-data\.yaml: 27 changed, 0 already so\.\n$/);
    const again = await cli(source, 'ref', 'import', EXAMPLE);
    expect(again.stdout).toMatch(/^Nothing to change: all 27 entities and versions are already as/);
  });

  it('export then import into an empty database reproduces every ref_* table, through JSON and through YAML', async () => {
    // History worth carrying: a second calendar version, a retired policy, a retired channel.
    const pool = new pg.Pool({ connectionString: source.url, max: 2 });
    const store = new PostgresEventStore(pool);
    try {
      const reference = new ReferenceStore(store, pool);
      const context = { at: '2026-05-01T00:00:00.000Z', by: 'spec' };
      const berlin = (await reference.loadAll()).catalogue.calendars.get('berlin-office')?.[0]?.definition;
      if (berlin === undefined) throw new Error('the example defines berlin-office');
      const summer = { ...berlin, name: 'Berlin summer hours', effectiveFrom: '2026-06-01T00:00:00.000Z' };
      await reference.decide({ type: 'DefineReference', kind: 'calendar', id: 'berlin-office', definition: summer }, context);
      await reference.decide(
        { type: 'RetireReference', kind: 'slaPolicy', id: 'billing-gold', effectiveFrom: '2026-07-01T00:00:00Z' },
        context,
      );
      await reference.decide({ type: 'RetireReference', kind: 'channel', id: 'web' }, context);
    } finally {
      await store.close();
      await pool.end();
    }
    const json = path.join(dataDir, 'reference.json');
    const yaml = path.join(dataDir, 'reference.yaml');
    expect((await cli(source, 'ref', 'export', '--out', json)).code).toBe(0);
    expect((await cli(source, 'ref', 'export', '--out', yaml)).code).toBe(0);
    const stdout = await cli(source, 'ref', 'export');
    expect(JSON.parse(stdout.stdout)).toEqual(JSON.parse(readFileSync(json, 'utf8')));

    const imported = await cli(target, 'ref', 'import', json);
    expect({ code: imported.code, stderr: imported.stderr }).toEqual({ code: 0, stderr: '' });
    // The YAML export states the same: importing it on top changes nothing.
    expect((await cli(target, 'ref', 'import', yaml)).stdout).toMatch(/^Nothing to change/);

    for (const database of [source, target]) expect((await cli(database, 'rebuild', 'reference')).code).toBe(0);
    const expected = await referenceTables(source);
    expect(expected.ref_calendar_versions).toHaveLength(3);
    expect(expected.ref_sla_policy_versions.filter((row) => (row as { retired: boolean }).retired)).toHaveLength(1);
    expect(await referenceTables(target)).toEqual(expected);
  });

  it('refuses a schema-invalid YAML file with line, column and reason, and writes nothing', async () => {
    const before = await storedEvents(target);
    const bad = path.join(dataDir, 'bad.yaml');
    writeFileSync(
      bad,
      [
        'units:',
        '  desk:',
        '    name: Desk',
        '    calendar: null',
        '    colour: blue',
        'priorities:',
        '  high: { name: High, rank: first }',
        '',
      ].join('\n'),
    );
    const refused = await cli(target, 'ref', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:5:5: units.desk.colour: unknown field "colour"`);
    expect(refused.stderr).toContain(`${bad}:7:29: priorities.high.rank: must be integer`);
    expect(await storedEvents(target)).toBe(before);
  });

  it('refuses a schema-invalid JSON file, and a JSON syntax error, with line and reason, and writes nothing', async () => {
    const before = await storedEvents(target);
    const bad = path.join(dataDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ channels: { chat: { name: 'Chat' } }, units: { 'front desk': { name: 'Front' } } }, null, 2));
    const refused = await cli(target, 'ref', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:8:5: units.front desk: the key must be an id`),
    );
    const broken = path.join(dataDir, 'broken.json');
    writeFileSync(broken, '{\n  "channels": {\n    "chat": { "name": "Chat", }\n  }\n}\n');
    const syntax = await cli(target, 'ref', 'import', broken);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain(`${broken}:3:31: Expected double-quoted property name`);
    expect(await storedEvents(target)).toBe(before);
  });

  it('refuses a file that breaks a reference rule with the line of the field, and writes none of it', async () => {
    const before = await storedEvents(target);
    const bad = path.join(dataDir, 'link.yaml');
    writeFileSync(
      bad,
      [
        'channels:',
        '  chat: { name: Chat }',
        'users:',
        '  ece:',
        '    name: Ece',
        '    memberships:',
        '      - { unit: nowhere, supervisor: false }',
        '',
      ].join('\n'),
    );
    const refused = await cli(target, 'ref', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${bad}:7:17: users.ece.memberships[0].unit: there is no unit "nowhere"; define it first. (REFERENCE_UNKNOWN_LINK)`,
    );
    expect(await storedEvents(target)).toBe(before);
  });
});
