import type pg from 'pg';
import { COMMENT_SCHEMA_VERSIONS_TABLE, CREATE_SCHEMA, CREATE_SCHEMA_VERSIONS_TABLE } from './schema/create-tables.js';
import { EVENT_STORE_MIGRATIONS } from './schema/migrations.js';

/*
 * Two processes starting at once both migrate: the transaction-scoped advisory lock makes the
 * second wait and then find everything applied. It is taken before anything else, because
 * even `CREATE SCHEMA IF NOT EXISTS` fails with a unique violation when two run concurrently.
 * The seed 1 keeps this key apart from the stream locks (hashtextextended(stream_id, 0)).
 */
const TAKE_MIGRATION_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('event_store.migrate', 1))`;

export interface MigrationOutcome {
  /** versions applied by this call (empty when the schema was up to date) */
  applied: number[];
  /** the schema version now in force */
  version: number;
}

/** Creates or upgrades the event store's schema; safe to call on every start, from several processes. */
export async function migrateEventStore(pool: pg.Pool): Promise<MigrationOutcome> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const outcome = await applyMigrations(client);
      await client.query('COMMIT');
      return outcome;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable: the pool must discard it, and the migration's own error stays the one reported.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        throw new AggregateError([error, rollbackError], 'event-store migration failed and so did its ROLLBACK', { cause: rollbackError });
      }
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

async function applyMigrations(client: pg.PoolClient): Promise<MigrationOutcome> {
  await client.query(TAKE_MIGRATION_LOCK);
  await client.query(CREATE_SCHEMA);
  await client.query(CREATE_SCHEMA_VERSIONS_TABLE);
  for (const statement of COMMENT_SCHEMA_VERSIONS_TABLE) await client.query(statement);
  const { rows } = await client.query<{ version: number }>('SELECT version FROM event_store.schema_versions');
  const done = new Set(rows.map((row) => row.version));
  const applied: number[] = [];
  for (const migration of [...EVENT_STORE_MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements) await client.query(statement);
    await client.query('INSERT INTO event_store.schema_versions (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    applied.push(migration.version);
    done.add(migration.version);
  }
  return { applied, version: Math.max(0, ...done) };
}
