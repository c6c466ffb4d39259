import type { JsonValue } from '#event-store';

/** The statements on the `commands` table (migrations CreateCommands1763900000001, CommandsOwner1765100000000). */

/**
 * The namespace (first key) of the owners' liveness locks, `pg_advisory_lock(namespace, owner)`:
 * the two-key form, so it never meets the one-bigint locks of the event store and the workers.
 */
export const OWNER_LOCK_NAMESPACE = 1_765_100_000;

/** Holds the process's liveness lock on its own session; false when another live process drew the same owner. */
export const LOCK_OWNER = 'SELECT pg_try_advisory_lock($1, $2) AS locked';
export const UNLOCK_OWNER = 'SELECT pg_advisory_unlock($1, $2)';

/**
 * Claims the key for `owner` (committed at once); no row back: someone claimed it before.
 * Committed without waiting for the WAL flush (synchronous_commit off for this statement's
 * transaction alone): the command's append, or the stored answer or the let-go, commits
 * synchronously after it, and flushing the WAL up to that commit flushes the claim too. A
 * claim lost with the server (a PostgreSQL crash before either) was never answered, and its
 * retry claims again.
 */
export const CLAIM_KEY = `
  WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true))
  INSERT INTO commands (api_key_id, idempotency_key, command_id, request_method, request_path, request_hash, created_at, owner)
  SELECT $1::text, $2::text, $3::uuid, $4::text, $5::text, $6::text, $7::timestamptz, $8::integer FROM unflushed
  ON CONFLICT (api_key_id, idempotency_key) DO NOTHING
  RETURNING command_id`;

/**
 * The key's row, and whether it is abandoned: unanswered while no session holds its owner's
 * liveness lock (the try takes the lock only for this statement). $3 is the asking process's
 * owner: its own rows it judges by what it runs, not by its lock.
 */
export const READ_ANSWER = `
  SELECT request_method, request_path, request_hash, status_code, response_body, response_headers, created_at, owner,
         CASE WHEN status_code IS NOT NULL THEN false
              WHEN owner IS NULL THEN true
              WHEN owner = $3 THEN false
              ELSE pg_try_advisory_xact_lock($4, owner) END AS abandoned
    FROM commands
   WHERE api_key_id = $1 AND idempotency_key = $2`;

/** Takes an abandoned row over for owner $3 from the owner $4 it was read with; no row back: someone else was quicker. */
export const TAKE_OVER = `
  UPDATE commands SET owner = $3
   WHERE api_key_id = $1 AND idempotency_key = $2 AND status_code IS NULL AND owner IS NOT DISTINCT FROM $4
  RETURNING command_id`;

/**
 * Stores the answer while the row is still the owner's and its liveness lock still held (the
 * try fails against the owner's own session): an owner that lost its session may have been
 * taken over, and then its answer is not the one kept. Returns the body as jsonb will replay
 * it, so the first answer and replays are byte-identical.
 */
export const STORE_ANSWER = `
  UPDATE commands
     SET status_code = $3, response_body = $4::jsonb, response_headers = $5::jsonb, completed_at = $6
   WHERE api_key_id = $1 AND idempotency_key = $2 AND status_code IS NULL AND owner = $7
     AND NOT pg_try_advisory_xact_lock($8, $7)
  RETURNING response_body`;

/** The owner lets go of a key whose command failed (5xx): the next request with it runs the command. */
export const LET_GO = `
  DELETE FROM commands WHERE api_key_id = $1 AND idempotency_key = $2 AND status_code IS NULL AND owner = $3`;

export interface StoredCommandRow {
  request_method: string;
  request_path: string;
  request_hash: string;
  status_code: number | null;
  response_body: JsonValue | null;
  response_headers: Record<string, string>;
  created_at: Date;
  owner: number | null;
  abandoned: boolean;
}
