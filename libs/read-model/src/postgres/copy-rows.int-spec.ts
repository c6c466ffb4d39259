import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { createTableSql, defineTable } from '../projections/table-definition.js';
import { copyRows, copyText } from './copy-rows.js';

const TABLE = defineTable({
  name: 'copied',
  comment: 'copyRows spec',
  primaryKey: ['id'],
  indexes: [],
  columns: [
    ['id', 'integer NOT NULL', 'key'],
    ['label', 'text', 'text'],
    ['ref', 'uuid', 'uuid'],
    ['at', 'timestamptz', 'instant'],
    ['day', 'date', 'date'],
    ['big', 'bigint', 'bigint'],
    ['x', 'double precision', 'double'],
    ['flag', 'boolean', 'boolean'],
    ['doc', 'jsonb', 'jsonb'],
  ],
});

type Row = Record<string, unknown> & { id: number };

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'Z', ' ', '\\', '\t', '\n', '\r', 'N', '\\N', '"', "'", ',', 'ı', 'é', '€', '😀', '{', '}', '.'];

describe('copyRows', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    for (const name of ['by_json', 'by_copy']) for (const statement of createTableSql(TABLE, name)) await client.query(statement);
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  /** Writes the rows both ways, the INSERT path's jsonb_populate_recordset and COPY; returns the rows either holds alone. */
  async function bothWays(rows: Row[]): Promise<unknown[]> {
    await client.query('TRUNCATE by_json, by_copy');
    await client.query('INSERT INTO by_json SELECT * FROM jsonb_populate_recordset(NULL::by_json, $1::jsonb)', [JSON.stringify(rows)]);
    expect(await copyRows(client, 'by_copy', TABLE, rows)).toBe(rows.length);
    const { rows: differing } = await client.query(
      `(SELECT 'json only' AS side, * FROM (TABLE by_json EXCEPT ALL TABLE by_copy) a)
       UNION ALL (SELECT 'copy only', * FROM (TABLE by_copy EXCEPT ALL TABLE by_json) b)`,
    );
    const { rows: counted } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM by_copy');
    expect(counted[0].n).toBe(rows.length);
    return differing;
  }

  it('stores what the jsonb INSERT stores, for every type, escapes, nulls and odd numbers', async () => {
    const rows: Row[] = [
      {
        id: 1,
        label: 'back\\slash\ttab\nnewline\rreturn \\N end',
        ref: '0b6f1c1e-8c55-4b0e-9d1a-3c7f0e2b9a10',
        at: '2025-03-30T01:30:00.123456Z',
        day: '2025-02-28',
        big: 9007199254740991,
        x: 0.1 + 0.2,
        flag: true,
        doc: { a: [1, 'two\t\\', null, { n: 1e21 }], 'k\ney': 'ü😀', empty: '' },
      },
      { id: 2, label: '', ref: null, at: null, day: null, big: -1, x: -0, flag: false, doc: 'just a string' },
      { id: 3, label: '\\N', x: 5e-324, doc: [] },
      { id: 4, label: 'N', x: Number.NaN, flag: null, doc: null },
      { id: 5, x: Number.POSITIVE_INFINITY, doc: 0.30000000000000004 },
      { id: 6, x: 1.7976931348623157e308, doc: { nested: { deeper: [true, false] } } },
    ];
    expect(await bothWays(rows)).toEqual([]);
    // The non-finite numbers went in as NULL, as their JSON does.
    const { rows: nulls } = await client.query<{ id: number }>('SELECT id FROM by_copy WHERE x IS NULL ORDER BY id');
    expect(nulls.map((row) => row.id)).toEqual([4, 5]);
  });

  it('stores what the jsonb INSERT stores for random text (seeded)', async () => {
    const seed = Number(process.env.COPY_ROWS_SEED ?? Date.now() % 100_000);
    process.stdout.write(`copyRows random text seed ${seed} (COPY_ROWS_SEED=${seed} replays it)\n`);
    const next = random(seed);
    const text = () => Array.from({ length: Math.floor(next() * 12) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
    // Enough rows for several of the writer's chunks.
    const rows: Row[] = Array.from({ length: 5_000 }, (_, id) => ({
      id,
      label: text(),
      x: next() * 1e6 - 5e5,
      flag: next() < 0.5,
      doc: { t: text(), list: [text(), next()] },
    }));
    expect(await bothWays(rows)).toEqual([]);
  });

  it('fails the COPY on a duplicate key, like the INSERT, and leaves the connection usable', async () => {
    await client.query('TRUNCATE by_copy');
    await expect(copyRows(client, 'by_copy', TABLE, [{ id: 7 }, { id: 7 }])).rejects.toThrow(/duplicate key/);
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM by_copy');
    expect(rows[0].n).toBe(0);
  });

  it('fails a long COPY whose error comes while rows are still being sent, inside a transaction that then rolls back', async () => {
    await client.query('TRUNCATE by_copy');
    // The duplicate is the second row: PostgreSQL rejects it while most of the many chunks are still to come.
    const rows: Row[] = Array.from({ length: 200_000 }, (_, i) => ({ id: i === 1 ? 0 : i, label: 'x'.repeat(20) }));
    await client.query('BEGIN');
    await expect(copyRows(client, 'by_copy', TABLE, rows)).rejects.toThrow(/duplicate key/);
    await client.query('ROLLBACK');
    expect(await copyRows(client, 'by_copy', TABLE, [{ id: 1 }])).toBe(1);
    const { rows: counted } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM by_copy');
    expect(counted[0].n).toBe(1);
  });

  it('escapes only backslash, tab, newline and carriage return', () => {
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText('plain "text", \\N')).toBe('plain "text", \\\\N');
  });
});
