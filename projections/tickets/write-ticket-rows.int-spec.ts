import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { loadGoldenExpected } from '#test/support/golden-small.js';
import { loadGoldenTables } from './testing/golden-tables.js';
import { TICKET_TABLES } from './tables.js';

describe('ticket rows in PostgreSQL', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    await loadGoldenTables(db.url);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('holds one facts row per golden ticket and the rows of every history table', async () => {
    const counts: Record<string, number> = {};
    for (const table of TICKET_TABLES) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM analytics.${table.name}`);
      counts[table.name] = Number(rows[0].n);
    }
    const expected = loadGoldenExpected().tickets;
    const sum = (key: string) => expected.reduce((n, t) => n + (t[key] as unknown[]).length, 0);
    expect(counts.tickets).toBe(expected.length);
    expect(counts.pool_waits).toBe(sum('ttc'));
    expect(counts.assignments).toBe(sum('tat'));
    expect(counts.reopenings).toBe(expected.filter((t) => t.reopened).length);
    const { rows } = await client.query<{ ticket_id: string; frt_s: number | null; fcr_system: boolean }>(
      'SELECT ticket_id, frt_s, fcr_system FROM analytics.tickets',
    );
    for (const t of expected) {
      const row = rows.find((r) => r.ticket_id === t.ticket);
      expect({
        ticket: t.ticket,
        frt: row?.frt_s === null || row?.frt_s === undefined ? null : Math.round(row.frt_s * 1000),
        fcr: row?.fcr_system,
      }).toEqual({
        ticket: t.ticket,
        frt: t.frt === null ? null : Math.round((t.frt as number) * 1000),
        fcr: t.fcr_system,
      });
    }
  });

  it('comments every table and column', async () => {
    const { rows } = await client.query<{ missing: string }>(
      `SELECT c.relname || coalesce('.' || a.attname, '') AS missing
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
        WHERE n.nspname = 'analytics' AND c.relkind = 'r' AND (obj_description(c.oid, 'pg_class') IS NULL OR a.attname IS NOT NULL)`,
    );
    expect(rows.map((r) => r.missing)).toEqual([]);
  });
});
