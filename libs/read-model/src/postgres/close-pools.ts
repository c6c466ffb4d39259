import pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Resolves once every connection the pool has now is closed. `Pool.end()` resolves as soon as
 * it has *asked* its idle clients to end; stopping the embedded server right after would cut
 * connections still saying goodbye, and they would report "terminating connection" errors.
 */
function connectionsClosed(pool: pg.Pool): Promise<void> {
  let open = pool.totalCount;
  if (open === 0) return Promise.resolve();
  return new Promise((resolve) => {
    pool.on('remove', () => {
      open -= 1;
      if (open === 0) resolve();
    });
  });
}

export async function endPool(pool: pg.Pool): Promise<void> {
  const closed = connectionsClosed(pool);
  await pool.end();
  await closed;
}

/** `DataSource.destroy()`, waiting like `endPool` for the connections of TypeORM's own pg pool. */
export async function destroyDataSource(dataSource: DataSource): Promise<void> {
  // TypeORM's PostgresDriver keeps its pg.Pool as `master`, typed `any`; it is checked, not trusted.
  const master: unknown = Reflect.get(dataSource.driver, 'master');
  const closed = master instanceof pg.Pool ? connectionsClosed(master) : Promise.resolve();
  await dataSource.destroy();
  await closed;
}
