import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { openBenchDatabase, removeKeptDatabase, sharedBenchDatabaseName, withClient } from './bench-database.js';

const quiet = () => undefined;

// Embedded clusters only: with DATABASE_URL set the spec would create databases on that server.
const describeEmbedded = process.env.DATABASE_URL ? describe.skip : describe;

describeEmbedded('a database one bench keeps and another reuses (npm run bench seeds once)', () => {
  const shared = sharedBenchDatabaseName();
  afterAll(() => removeKeptDatabase(shared));

  it('keeps the first bench database in the named folder, and the second bench opens that same database', async () => {
    const first = await openBenchDatabase({ name: 'first_bench', keepIn: shared, log: quiet });
    try {
      await withClient(first.url, (client) => client.query('CREATE TABLE seeded (n int); INSERT INTO seeded VALUES (42)'));
    } finally {
      await first.close();
    }
    expect(first.keptAs).toBe(shared);
    expect(existsSync(shared)).toBe(true);

    const second = await openBenchDatabase({ name: 'second_bench', reuse: shared, log: quiet });
    try {
      const { rows } = await withClient(second.url, (client) => client.query<{ n: number }>('SELECT n FROM seeded'));
      expect(rows).toEqual([{ n: 42 }]);
      expect(new URL(second.url).pathname).toBe('/first_bench');
    } finally {
      await second.close();
    }
    // A reused database outlives the run that reused it; only the caller removes it.
    expect(existsSync(shared)).toBe(true);
    await removeKeptDatabase(shared);
    expect(existsSync(shared)).toBe(false);
  });

  it('refuses to keep a database in a folder that holds something, and writes nothing there', async () => {
    const occupied = sharedBenchDatabaseName();
    mkdirSync(occupied);
    writeFileSync(`${occupied}/notes.txt`, 'mine');
    try {
      await expect(openBenchDatabase({ name: 'first_bench', keepIn: occupied, log: quiet })).rejects.toThrow(/not empty/);
      expect(existsSync(`${occupied}/pg`)).toBe(false);
    } finally {
      rmSync(occupied, { recursive: true, force: true });
    }
  });
});
