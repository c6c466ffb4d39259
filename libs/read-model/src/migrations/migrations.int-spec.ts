import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createReadModelDataSource, migrateReadModel } from '../data-source.js';
import { destroyDataSource } from '../postgres/close-pools.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { READ_MODEL_MIGRATIONS } from './index.js';

describe('read-store migrations', () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('migrations');
    for (const name of ['first', 'second']) {
      const dataSource = createReadModelDataSource({ url: database.url, applicationName: `migrations-${name}` });
      await dataSource.initialize();
      dataSources.push(dataSource);
    }
  });

  afterAll(async () => {
    for (const dataSource of dataSources) await destroyDataSource(dataSource);
    await database.drop();
  });

  it('run once when two processes start together', async () => {
    const [first, second] = await Promise.all(dataSources.map((dataSource) => migrateReadModel(dataSource)));
    expect([...first, ...second].sort()).toEqual(READ_MODEL_MIGRATIONS.map((migration) => new migration().name).sort());
    expect(await migrateReadModel(dataSources[0])).toEqual([]);
  });

  it('comment every table and every column (analysts read the catalogue)', async () => {
    const uncommented = await dataSources[0].query<Array<{ object: string }>>(`
      SELECT c.relname AS object
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm') AND obj_description(c.oid, 'pg_class') IS NULL
      UNION ALL
      SELECT c.relname || '.' || a.attname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
         AND col_description(c.oid, a.attnum) IS NULL`);
    expect(uncommented).toEqual([]);
  });
});
