import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { JsonValue } from '#event-store';
import { CLOCK, type Clock, IDEMPOTENCY_POOL, ApiError } from '#platform';
import { CLAIM_KEY, READ_ANSWER, STORE_ANSWER, type StoredCommandRow } from './commands-table.js';

export interface IdempotentCall {
  /** The scope of the key: idempotency keys of different API keys never meet. */
  apiKeyId: string;
  idempotencyKey: string;
  commandId: string;
  method: string;
  path: string;
  /** `requestHash(method, path, body)` */
  requestHash: string;
}

/** An HTTP answer as stored and replayed. */
export interface CommandAnswer {
  status: number;
  body: JsonValue | null;
  /** Lower-case header names to values (Location, ETag). */
  headers: Record<string, string>;
}

export interface IdempotentOutcome {
  answer: CommandAnswer;
  /** true: the stored answer of an earlier request with this key; the command did not run now */
  replayed: boolean;
}

export const idempotencyKeyReused = (key: string, first: { method: string; path: string }) =>
  new ApiError(
    'IDEMPOTENCY_KEY_REUSED',
    `Idempotency-Key "${key}" was already used for a different request (${first.method} ${first.path} with another body); ` +
      'use a new key for a new command.',
    'rule',
    { idempotencyKey: key, firstRequest: first },
  );

function isStored(status: number): boolean {
  return status < 500;
}

/**
 * Runs a command at most once per (API key, Idempotency-Key) across processes (DESIGN.md §3).
 *
 * The owner inserts the key's row in a transaction that stays open while the command runs; a
 * concurrent request with the same key blocks on the unique key until the owner commits, then
 * finds the stored answer and replays it. If the owner fails with a 5xx or its process dies,
 * its transaction aborts, nothing is stored, and the next waiter becomes the owner.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @Inject(IDEMPOTENCY_POOL) private readonly pool: pg.Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `execute` answers a success or a 4xx; it throws for a failure that must not be stored (5xx). */
  async run(call: IdempotentCall, execute: () => Promise<CommandAnswer>): Promise<IdempotentOutcome> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // The connection idles in its transaction while the command runs; if the server drops it
    // then, pg emits 'error' on the client, which would crash the process unheard. The next
    // statement on it fails with that error and answers the request instead.
    const onLost = (error: Error): void => {
      broken = error;
    };
    client.on('error', onLost);
    try {
      await client.query('BEGIN');
      try {
        const outcome = await this.inTransaction(client, call, execute);
        await client.query(outcome.store ? 'COMMIT' : 'ROLLBACK');
        return outcome.result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is in an unknown state: the pool must drop it, and the command's error stays the one answered.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      }
    } finally {
      client.removeListener('error', onLost);
      client.release(broken);
    }
  }

  private async inTransaction(
    client: pg.PoolClient,
    call: IdempotentCall,
    execute: () => Promise<CommandAnswer>,
  ): Promise<{ result: IdempotentOutcome; store: boolean }> {
    const claimed = await client.query(CLAIM_KEY, [
      call.apiKeyId,
      call.idempotencyKey,
      call.commandId,
      call.method,
      call.path,
      call.requestHash,
      this.clock.now(),
    ]);
    if (claimed.rowCount === 0) return { result: await this.replay(client, call), store: false };

    const answer = await execute();
    if (!isStored(answer.status)) return { result: { answer, replayed: false }, store: false };
    const stored = await client.query<{ response_body: JsonValue | null }>(STORE_ANSWER, [
      call.apiKeyId,
      call.idempotencyKey,
      answer.status,
      answer.body === null ? null : JSON.stringify(answer.body),
      JSON.stringify(answer.headers),
      this.clock.now(),
    ]);
    return { result: { answer: { ...answer, body: stored.rows[0].response_body }, replayed: false }, store: true };
  }

  private async replay(client: pg.PoolClient, call: IdempotentCall): Promise<IdempotentOutcome> {
    const { rows } = await client.query<StoredCommandRow>(READ_ANSWER, [call.apiKeyId, call.idempotencyKey]);
    const row = rows[0];
    // The owner stores its answer in the transaction that inserted the row, so a visible row is complete.
    if (!row || row.status_code === null) throw new Error(`commands row for key ${call.idempotencyKey} is missing or has no answer`);
    if (row.request_hash !== call.requestHash)
      throw idempotencyKeyReused(call.idempotencyKey, { method: row.request_method, path: row.request_path });
    return {
      answer: { status: row.status_code, body: row.response_body, headers: row.response_headers },
      replayed: true,
    };
  }
}
