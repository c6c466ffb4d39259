import type { JsonValue } from '#event-store';

/** The statements on the `commands` table (migration CreateCommands1763900000001). */

/** Claims the key; with a concurrent owner it waits on the unique key until that one commits or aborts. */
export const CLAIM_KEY = `
  INSERT INTO commands (api_key_id, idempotency_key, command_id, request_method, request_path, request_hash, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (api_key_id, idempotency_key) DO NOTHING
  RETURNING command_id`;

/** Stores the answer; returns the body as jsonb will replay it, so the first answer and replays are byte-identical. */
export const STORE_ANSWER = `
  UPDATE commands
     SET status_code = $3, response_body = $4::jsonb, response_headers = $5::jsonb, completed_at = $6
   WHERE api_key_id = $1 AND idempotency_key = $2
  RETURNING response_body`;

export const READ_ANSWER = `
  SELECT request_method, request_path, request_hash, status_code, response_body, response_headers, created_at
    FROM commands
   WHERE api_key_id = $1 AND idempotency_key = $2`;

export interface StoredCommandRow {
  request_method: string;
  request_path: string;
  request_hash: string;
  status_code: number | null;
  response_body: JsonValue | null;
  response_headers: Record<string, string>;
  created_at: Date;
}
