import type pg from 'pg';
import { LOAD_CHECKPOINT, STORE_CHECKPOINT, type CheckpointRow, type StoreCheckpointRow } from './schema/checkpoints.js';

export interface CheckpointMove {
  name: string;
  version: number;
  /** the position the batch was read after (null: from the start) */
  expected: string | null;
  /** the position after the batch (the read's `nextAfter`) */
  next: string;
  eventsSeen: number;
  eventsApplied: number;
  lastRecordedAt: Date | null;
}

/**
 * What the compare-and-set found (Emmett's explicit outcomes): only `stored` lets the batch
 * commit; every other outcome rolls it back.
 */
export type CheckpointOutcome =
  | { kind: 'stored' }
  /** someone else applied this very batch already */
  | { kind: 'already_there' }
  /** the checkpoint is elsewhere: another runner moved it; reload and read again */
  | { kind: 'mismatch'; current: string | null }
  /** the version was replaced: stop running it */
  | { kind: 'retired' }
  /** the version's row is gone (its tables were dropped) */
  | { kind: 'missing' };

export async function storeCheckpoint(client: pg.PoolClient, move: CheckpointMove): Promise<CheckpointOutcome> {
  const { rows } = await client.query<StoreCheckpointRow>({
    ...STORE_CHECKPOINT,
    values: [move.name, move.version, move.expected, move.next, move.eventsSeen, move.eventsApplied, move.lastRecordedAt],
  });
  const row = rows[0];
  if (row.stored) return { kind: 'stored' };
  if (row.state === null) return { kind: 'missing' };
  if (row.state === 'retired') return { kind: 'retired' };
  if (row.position === move.next) return { kind: 'already_there' };
  return { kind: 'mismatch', current: row.position };
}

/** The checkpoint of one version; undefined when that version no longer exists. */
export async function loadCheckpoint(pool: pg.Pool, name: string, version: number): Promise<CheckpointRow | undefined> {
  const { rows } = await pool.query<CheckpointRow>({ ...LOAD_CHECKPOINT, values: [name, version] });
  return rows[0];
}
