import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { endPool } from '#read-model/postgres/close-pools.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { noDifferences, prefixDifferences, tableDifferences } from './table-differences.js';

/** The comparison the rebuild-equals-live specs rest on must see every kind of difference. */
describe('table differences', () => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase('differences');
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    await pool.query('CREATE SCHEMA analytics');
    for (const prefix of ['a_', 'b_', 'c_', 'd_', 'e_'])
      await pool.query(`CREATE TABLE analytics.${prefix}t (id int, at timestamptz, doc jsonb, amount numeric, note json)`);
    const rows =
      `(1, '2026-01-01T00:00:00Z', '{"x": 1, "y": [1, 2]}', 1.5, '{"k": 1, "j": [2]}'), ` +
      `(2, NULL, NULL, NULL, NULL), (2, NULL, NULL, NULL, NULL)`;
    await pool.query(`INSERT INTO analytics.a_t VALUES ${rows}`);
    // The same rows in another order, the instant in another zone, the jsonb and json keys reordered (json's spacing too).
    const reordered =
      `(2, NULL, NULL, NULL, NULL), (1, '2026-01-01T03:00:00+03:00', '{"y": [1, 2], "x": 1}', 1.50, '{"j":[2],"k":1}'), ` +
      `(2, NULL, NULL, NULL, NULL)`;
    await pool.query(`INSERT INTO analytics.b_t VALUES ${reordered}`);
    // A duplicate missing, and a value inside the jsonb changed.
    await pool.query(
      `INSERT INTO analytics.c_t VALUES (1, '2026-01-01T00:00:00Z', '{"x": 1, "y": [2, 1]}', 1.5, '{"k": 1, "j": [2]}'), ` +
        `(2, NULL, NULL, NULL, NULL)`,
    );
    await pool.query(`INSERT INTO analytics.d_t VALUES ${rows}`);
    // A value inside the json changed.
    await pool.query(`INSERT INTO analytics.e_t VALUES ${rows.replace('"j": [2]', '"j": [3]')}`);
  });

  afterAll(async () => {
    await endPool(pool);
    await db.drop();
  });

  it('finds none between equal multisets of rows, whatever their order or spelling', async () => {
    expect(await tableDifferences(pool, 'analytics.a_t', 'analytics.b_t')).toEqual({ rows: 3, onlyLeft: 0, onlyRight: 0, shown: [] });
    expect(await prefixDifferences(pool, ['t'], 'd_', 'a_')).toEqual(noDifferences(['t']));
  });

  it('counts a missing duplicate and a changed jsonb value, and shows the rows', async () => {
    const found = await tableDifferences(pool, 'analytics.a_t', 'analytics.c_t');
    expect(found).toMatchObject({ rows: 3, onlyLeft: 2, onlyRight: 1 });
    expect(found.shown).toContainEqual({
      side: 'right',
      row: { id: 1, at: '2026-01-01T00:00:00+00:00', doc: { x: 1, y: [2, 1] }, amount: 1.5, note: { k: 1, j: [2] } },
    });
    expect(found.shown.filter((entry) => entry.side === 'left')).toHaveLength(2);
    expect(await prefixDifferences(pool, ['t'], 'c_', 'a_')).not.toEqual(noDifferences(['t']));
  });

  it('counts a changed json value (json has no equality of its own; it is compared as jsonb)', async () => {
    const found = await tableDifferences(pool, 'analytics.a_t', 'analytics.e_t');
    expect(found).toMatchObject({ rows: 3, onlyLeft: 1, onlyRight: 1 });
    expect(found.shown).toContainEqual({
      side: 'right',
      row: { id: 1, at: '2026-01-01T00:00:00+00:00', doc: { x: 1, y: [1, 2] }, amount: 1.5, note: { k: 1, j: [3] } },
    });
  });
});
