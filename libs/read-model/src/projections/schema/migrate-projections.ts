import type pg from 'pg';
import { inTransaction } from '../transaction.js';
import {
  COMMENT_CHECKPOINTS_TABLE,
  CREATE_CHECKPOINTS_TABLE,
  CREATE_ONE_LIVE_INDEX,
  CREATE_PROJECTIONS_SCHEMA,
} from './create-checkpoints.js';
import { COMMENT_PER_STREAM_BUILDS_TABLE, CREATE_PER_STREAM_BUILDS_TABLE } from './per-stream-builds.js';

/*
 * Several processes start at once (API, projectors, CLI): a transaction-scoped advisory lock
 * makes the others wait, since even CREATE SCHEMA IF NOT EXISTS fails with a unique violation
 * when two run concurrently. Seed 2 keeps the key apart from the event store's locks (seeds 0, 1).
 */
const TAKE_MIGRATION_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('projections.migrate', 2))`;

/** Creates the schemas `projections` and `analytics`, the checkpoints and the per-stream builds tables, if missing. */
export async function migrateProjections(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(TAKE_MIGRATION_LOCK);
    for (const statement of [
      ...CREATE_PROJECTIONS_SCHEMA,
      CREATE_CHECKPOINTS_TABLE,
      CREATE_ONE_LIVE_INDEX,
      ...COMMENT_CHECKPOINTS_TABLE,
      CREATE_PER_STREAM_BUILDS_TABLE,
      ...COMMENT_PER_STREAM_BUILDS_TABLE,
    ]) {
      await client.query(statement);
    }
  });
}
