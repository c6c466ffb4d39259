import type pg from 'pg';

/**
 * Runs `work` in one transaction on a pool connection: COMMIT when it resolves, ROLLBACK when
 * it throws (the work's error is the one thrown). A connection whose ROLLBACK failed is
 * discarded by the pool instead of being handed out again mid-transaction.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    let result: T;
    try {
      result = await work(client);
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        throw new AggregateError([error, rollbackError], 'a projection transaction failed and so did its ROLLBACK', {
          cause: rollbackError,
        });
      }
      throw error;
    }
    try {
      await client.query('COMMIT');
    } catch (commitError) {
      broken = commitError instanceof Error ? commitError : new Error(String(commitError));
      throw commitError;
    }
    return result;
  } finally {
    client.release(broken);
  }
}
