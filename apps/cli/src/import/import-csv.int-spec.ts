import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../dist/apps/cli/src/main.js');
const run = promisify(execFile);

/** A YAML mapping for a semicolon-free, comma-separated export with local times in Brussels. */
const MAPPING = `source: helpdesk-csv
columns:
  caseId: case
  activity: [status, substatus]
  timestamp: { column: when, format: iso8601, zone: Europe/Brussels }
  resource: person
  group: team
  priority: impact
  category: product
constants: { channel: phone, customer: unknown }
lines: { " 2nd": 2 }
activities:
  - { activity: Accepted/Wait*, action: hold }
  - { activity: Accepted/*, action: work }
  - { activity: Queued/*, action: release }
  - { activity: Completed/*, action: close, resolution: resolved }
`;

/**
 * Line by line (the header is line 1). A: good, escalated to the 2nd line, closed. B: a bad
 * timestamp (line 6) and an unknown activity (line 7) between good rows. C: a row before its
 * predecessor (line 10). D: a row written with semicolons (line 12). E: the file ends inside a
 * quoted field (line 14).
 */
const CSV = [
  'case,status,substatus,when,team,person,impact,product',
  'A,Accepted,In Progress,2012-04-02 09:00:00,T1,ann,Medium,"PROD, 1"',
  'A,Queued,Awaiting Assignment,2012-04-02 10:00:00,T1 2nd,ann,Medium,"PROD, 1"',
  'A,Completed,Resolved,2012-04-02 11:30:00,T1 2nd,bob,Medium,"PROD, 1"',
  'B,Accepted,In Progress,2012-04-03 09:00:00,T1,ann,High,P2',
  'B,Accepted,Wait - User,2012-04-31 09:30:00,T1,ann,High,P2',
  'B,Escalated,Somewhere,2012-04-03 09:40:00,T1,ann,High,P2',
  'B,Completed,Resolved,2012-04-03 10:00:00,T1,ann,High,P2',
  'C,Accepted,In Progress,2012-04-04 09:00:00,T1,cem,Low,P3',
  'C,Accepted,Wait,2012-04-04 08:00:00,T1,cem,Low,P3',
  'C,Completed,Resolved,2012-04-04 12:00:00,T1,cem,Low,P3',
  'D;Accepted;In Progress;2012-04-05 09:00:00;T1;dan;Low;P4',
  'D,Accepted,In Progress,2012-04-05 09:10:00,T1,dan,Low,P4',
  'E,Accepted,"In Pro',
].join('\n');

describe('cli import of a CSV log with malformed rows', () => {
  let database: TestDatabase;
  let dir: string;
  let pool: pg.Pool;

  async function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, DATA_DIR: dir, LOG_LEVEL: 'warn' },
    });
  }

  async function streams(): Promise<Array<{ types: string }>> {
    const { rows } = await pool.query<{ types: string }>(
      `SELECT string_agg(type, ' ' ORDER BY revision) AS types FROM event_store.events
        WHERE stream_id LIKE 'ticket-%' GROUP BY stream_id ORDER BY min(global_seq)`,
    );
    return rows;
  }

  beforeAll(async () => {
    database = await createTestDatabase('import_csv');
    dir = mkdtempSync(path.join(tmpdir(), 'bildirim-import-csv-'));
    pool = new pg.Pool({ connectionString: database.url, max: 1 });
    writeFileSync(path.join(dir, 'mapping.yaml'), MAPPING);
    writeFileSync(path.join(dir, 'log.csv.gz'), gzipSync(CSV));
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the good rows and lists every bad one with its line and reason; again, it adds nothing', async () => {
    const rejects = path.join(dir, 'rejects.csv');
    const args = ['import', path.join(dir, 'log.csv.gz'), '--mapping', path.join(dir, 'mapping.yaml'), '--rejects', rejects];
    // A dry run decides everything, lists the same rejects, and writes nothing.
    const dry = await cli(...args, '--dry-run');
    expect(dry.stdout).toContain('import dry run (nothing written)');
    expect(dry.stdout).toContain('events decided: 14 ');
    expect(await streams()).toEqual([]);
    expect(readFileSync(rejects, 'utf8').trim().split('\n')).toHaveLength(6);
    const first = await cli(...args);
    // In the order found (the CSV parser reads ahead of the rows it hands on): compared by line.
    const [header, ...listed] = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(header).toBe('line,case,reason,message');
    expect(listed.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))).toEqual([
      expect.stringMatching(/^6,B,bad_timestamp,"?.*2012-04-31 09:30:00/),
      expect.stringMatching(/^7,B,unknown_activity,.*Escalated\/Somewhere/),
      expect.stringMatching(/^10,C,out_of_order,/),
      expect.stringMatching(/^12,D,malformed_line,/),
      expect.stringMatching(/^14,E,malformed_line,/),
    ]);
    expect(first.stdout).toContain('cases: 4; tickets: 4; rows: 13');
    expect(first.stdout).toMatch(/rejected rows: 5 \(listed in .*rejects\.csv\)/);
    expect(first.stdout).toMatch(/bad_timestamp: 1\n {2}malformed_line: 2\n {2}out_of_order: 1\n {2}unknown_activity: 1\n/);

    const written = await streams();
    expect(written.map((stream) => stream.types)).toEqual([
      // A: opened and claimed by ann; escalated with the move to the 2nd line (a route); bob claims; closed.
      'TicketOpened TicketClaimed TicketEscalated TicketRouted TicketClaimed TicketClosed',
      // B: the two bad rows left out, the rest imported.
      'TicketOpened TicketClaimed TicketClosed',
      'TicketOpened TicketClaimed TicketClosed',
      'TicketOpened TicketClaimed',
    ]);
    const { rows: opened } = await pool.query<{ occurred_at: string; priority: string; category: string }>(
      `SELECT metadata->>'occurredAt' AS occurred_at, data->>'priority' AS priority, data->>'category' AS category
         FROM event_store.events WHERE type = 'TicketOpened' ORDER BY global_seq LIMIT 1`,
    );
    // 09:00 in Brussels in April is 07:00 UTC (CEST); the quoted field keeps its comma.
    expect(opened[0]).toEqual({ occurred_at: '2012-04-02T07:00:00.000Z', priority: 'Medium', category: 'PROD, 1' });

    const again = await cli(...args);
    expect(again.stdout).toContain('events written: 0 ');
    expect(await streams()).toEqual(written);
    expect(readFileSync(rejects, 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('a half-imported case continues where it stopped: the same events, ids and revisions as one import of the whole file', async () => {
    const half = await createTestDatabase('import_csv_half');
    const halfPool = new pg.Pool({ connectionString: half.url, max: 1 });
    const ids = async (on: pg.Pool) =>
      (
        await on.query<{ ids: string }>(
          `SELECT string_agg(event_id::text, ' ' ORDER BY revision) AS ids FROM event_store.events GROUP BY stream_id ORDER BY 1`,
        )
      ).rows;
    try {
      // The first two rows of case A only: the import stopped there.
      writeFileSync(path.join(dir, 'head.csv'), CSV.split('\n').slice(0, 3).join('\n'));
      const env = { PATH: process.env.PATH ?? '', DATABASE_URL: half.url, DATA_DIR: dir, LOG_LEVEL: 'warn' };
      const mapping = ['--mapping', path.join(dir, 'mapping.yaml'), '--rejects', path.join(dir, 'half-rejects.csv')];
      await run(process.execPath, [CLI, 'import', path.join(dir, 'head.csv'), ...mapping], { env });
      const whole = await run(process.execPath, [CLI, 'import', path.join(dir, 'log.csv.gz'), ...mapping], { env });
      expect(whole.stdout).toContain('commands: 13 (3 already imported)');
      expect(await ids(halfPool)).toEqual(await ids(pool));
    } finally {
      await halfPool.end();
      await half.drop();
    }
  });

  it('an XES file that breaks off: the whole traces before the break are imported, then it fails naming the line', async () => {
    const xes = await createTestDatabase('import_xes_cut');
    const xesPool = new pg.Pool({ connectionString: xes.url, max: 1 });
    const event = (status: string, sub: string, at: string) =>
      `<event><string key="concept:name" value="${status}"/><string key="lifecycle:transition" value="${sub}"/>` +
      `<date key="time:timestamp" value="${at}"/><string key="org:group" value="V30"/><string key="org:resource" value="ann"/>` +
      `<string key="impact" value="Low"/><string key="product" value="P1"/></event>`;
    const trace = (id: string) =>
      `<trace><string key="concept:name" value="${id}"/>\n` +
      `${event('Accepted', 'In Progress', '2012-04-02T10:00:00+02:00')}\n` +
      `${event('Completed', 'Closed', '2012-04-02T11:00:00+02:00')}\n</trace>\n`;
    // Two whole traces, then the file ends inside the third.
    const text =
      `<?xml version="1.0" encoding="UTF-8" ?>\n<log xes.version="1.0">\n${trace('1-1')}${trace('1-2')}` +
      `<trace><string key="concept:name" value="1-3"/>\n<event>`;
    writeFileSync(path.join(dir, 'cut.xes'), text);
    try {
      const env = { PATH: process.env.PATH ?? '', DATABASE_URL: xes.url, DATA_DIR: dir, LOG_LEVEL: 'warn' };
      const failed = run(process.execPath, [CLI, 'import', path.join(dir, 'cut.xes'), '--rejects', path.join(dir, 'xes-rejects.csv')], {
        env,
      });
      await expect(failed).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/cut\.xes:\d+: not well-formed XES/) });
      await expect(failed).rejects.toMatchObject({
        stdout: expect.stringContaining('import stopped (what is above the failure is stored)'),
      });
      const { rows } = await xesPool.query<{ streams: number; events: number }>(
        'SELECT count(DISTINCT stream_id)::int AS streams, count(*)::int AS events FROM event_store.events',
      );
      expect(rows[0]).toEqual({ streams: 2, events: 6 });
    } finally {
      await xesPool.end();
      await xes.drop();
    }
  });

  it('refuses a mapping the schema refuses, naming the place, before reading a row', async () => {
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ source: 'x', columns: { caseId: 'case' }, activities: [] }));
    const failed = cli(
      'import',
      path.join(dir, 'log.csv.gz'),
      '--mapping',
      path.join(dir, 'bad.json'),
      '--rejects',
      path.join(dir, 'r.csv'),
    );
    await expect(failed).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("/columns: must have required property 'activity'"),
    });
    await expect(failed).rejects.toMatchObject({ stderr: expect.stringContaining('/activities: must NOT have fewer than 1 items') });
  });
});
