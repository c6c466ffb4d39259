import { COMMAND_ID_NAMESPACE, uuidV5 } from './uuid-v5.js';

/**
 * The id of a command sent with an Idempotency-Key: the same for every retry with that key
 * from that API key, so the retry derives the same event ids and the store sees them as
 * already appended (DESIGN.md §3, the second guard).
 */
export function commandIdFor(apiKeyId: string, idempotencyKey: string): string {
  return uuidV5(`${apiKeyId}/${idempotencyKey}`, COMMAND_ID_NAMESPACE);
}
