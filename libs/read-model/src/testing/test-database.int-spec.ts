import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase } from './test-database.js';

describe('test databases', () => {
  it('gives each spec its own empty database on a real PostgreSQL 18', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ v: string; d: string }>(
      "SELECT current_setting('server_version_num') AS v, current_database() AS d",
    );
    await client.end();
    await db.drop();
    expect(Number(rows[0].v)).toBeGreaterThanOrEqual(180000);
    expect(rows[0].d).toBe(db.name);
  });
});
