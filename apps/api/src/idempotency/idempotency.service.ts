import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import type { JsonValue } from '#event-store';
import { CLOCK, type Clock, IDEMPOTENCY_POOL, ApiError } from '#platform';
import { CLAIM_KEY, LET_GO, OWNER_LOCK_NAMESPACE, READ_ANSWER, STORE_ANSWER, TAKE_OVER, type StoredCommandRow } from './commands-table.js';
import { OwnerLiveness } from './owner-liveness.js';

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

export const commandInProgress = (key: string, waitedMs: number) =>
  new ApiError(
    'IDEMPOTENT_COMMAND_IN_PROGRESS',
    `The command with Idempotency-Key "${key}" is still running (waited ${waitedMs} ms for its answer); ` +
      'send it again shortly to get that answer.',
    'conflict',
    { idempotencyKey: key, retryAfterSeconds: 1 },
  );

/** How long a request waits for the answer of the same key's command running elsewhere before 409. */
const IN_PROGRESS_WAIT_MS = 10_000;
const POLL_FIRST_MS = 5;
const POLL_MAX_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isStored(status: number): boolean {
  return status < 500;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Runs a command at most once per (API key, Idempotency-Key) across processes (DESIGN.md §3).
 *
 * The owner commits the key's row first (one short statement), runs the command with no
 * transaction of ours open, then stores the answer (another). No transaction spans the
 * command, so in-flight commands never hold back the readers of the event store (they read
 * below the oldest running transaction). A request that finds the row unanswered waits for
 * the answer (polling; on the same process, for the owner itself) and replays it, or answers
 * 409 IDEMPOTENT_COMMAND_IN_PROGRESS with Retry-After after IN_PROGRESS_WAIT_MS. An owner that
 * fails with a 5xx deletes its row, so the next request runs the command; an owner whose
 * process died holds no liveness lock any more (OwnerLiveness), and the next request takes its
 * row over. Running a command again is safe: its id derives from the key, and the pipeline
 * answers a command whose events are already in the stream with what it wrote.
 */
@Injectable()
export class IdempotencyService implements BeforeApplicationShutdown {
  private readonly liveness: OwnerLiveness;
  /** Keys whose command this process runs now, settled when the answer is stored or let go. */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(IDEMPOTENCY_POOL) private readonly pool: pg.Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.liveness = new OwnerLiveness(pool);
  }

  /** Before the platform ends the pools: the liveness session goes back to its pool. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.liveness.close();
  }

  /** `execute` answers a success or a 4xx; it throws for a failure that must not be stored (5xx). */
  async run(call: IdempotentCall, execute: () => Promise<CommandAnswer>): Promise<IdempotentOutcome> {
    try {
      const owner = await this.liveness.enter();
      return await this.claimOrWait(owner, call, execute);
    } finally {
      this.liveness.leave();
    }
  }

  private async claimOrWait(owner: number, call: IdempotentCall, execute: () => Promise<CommandAnswer>): Promise<IdempotentOutcome> {
    const started = Date.now();
    const local = `${call.apiKeyId}\n${call.idempotencyKey}`;
    for (let poll = POLL_FIRST_MS; ; poll = Math.min(POLL_MAX_MS, poll * 2)) {
      const claimed = await this.pool.query(CLAIM_KEY, [
        call.apiKeyId,
        call.idempotencyKey,
        call.commandId,
        call.method,
        call.path,
        call.requestHash,
        this.clock.now(),
        owner,
      ]);
      if (claimed.rowCount === 1) return this.own(owner, local, call, execute);
      const { rows } = await this.pool.query<StoredCommandRow>(READ_ANSWER, [
        call.apiKeyId,
        call.idempotencyKey,
        owner,
        OWNER_LOCK_NAMESPACE,
      ]);
      const row = rows.at(0);
      // The owner failed and let go in between: claim again.
      if (!row) continue;
      if (row.request_hash !== call.requestHash)
        throw idempotencyKeyReused(call.idempotencyKey, { method: row.request_method, path: row.request_path });
      if (row.status_code !== null) {
        return { answer: { status: row.status_code, body: row.response_body, headers: row.response_headers }, replayed: true };
      }
      const runningHere = this.running.get(local);
      // This process's own row that it does not run: left by a failure that could not even let go.
      if (row.abandoned || (row.owner === owner && runningHere === undefined)) {
        const taken = await this.pool.query(TAKE_OVER, [call.apiKeyId, call.idempotencyKey, owner, row.owner]);
        if (taken.rowCount === 1) return this.own(owner, local, call, execute);
        continue;
      }
      const waited = Date.now() - started;
      if (waited >= IN_PROGRESS_WAIT_MS) throw commandInProgress(call.idempotencyKey, waited);
      // The owner runs here: its end is the moment to look again. Elsewhere: poll, backing off.
      await (runningHere ?? sleep(Math.min(poll, IN_PROGRESS_WAIT_MS - waited)));
    }
  }

  private async own(owner: number, local: string, call: IdempotentCall, execute: () => Promise<CommandAnswer>): Promise<IdempotentOutcome> {
    const done = this.settle(owner, call, execute);
    // Waiters only need to know when it ended, not how: its outcome reaches them through the table.
    const ended = done.then(
      () => undefined,
      () => undefined,
    );
    this.running.set(local, ended);
    try {
      return await done;
    } finally {
      this.running.delete(local);
    }
  }

  private async settle(owner: number, call: IdempotentCall, execute: () => Promise<CommandAnswer>): Promise<IdempotentOutcome> {
    let answer: CommandAnswer;
    try {
      answer = await execute();
    } catch (error) {
      await this.letGo(owner, call, error);
      throw error;
    }
    if (!isStored(answer.status)) {
      await this.letGo(owner, call, undefined);
      return { answer, replayed: false };
    }
    const stored = await this.pool.query<{ response_body: JsonValue | null }>(STORE_ANSWER, [
      call.apiKeyId,
      call.idempotencyKey,
      answer.status,
      answer.body === null ? null : JSON.stringify(answer.body),
      JSON.stringify(answer.headers),
      this.clock.now(),
      owner,
      OWNER_LOCK_NAMESPACE,
    ]);
    const row = stored.rows.at(0);
    if (!row) {
      // This process lost its liveness session while the command ran: another may have taken
      // the key over, and its answer is the one kept. A retry gets that answer.
      await this.letGo(owner, call, undefined);
      throw new Error(`the claim on Idempotency-Key ${call.idempotencyKey} was lost while its command ran; nothing was stored`);
    }
    return { answer: { ...answer, body: row.response_body }, replayed: false };
  }

  /** Deletes the owner's unanswered row; a failure to do so joins the command's own error. */
  private async letGo(owner: number, call: IdempotentCall, failure: unknown): Promise<void> {
    try {
      await this.pool.query(LET_GO, [call.apiKeyId, call.idempotencyKey, owner]);
    } catch (error) {
      if (failure === undefined) throw error;
      throw new AggregateError(
        [asError(failure), asError(error)],
        `the command failed, and so did letting go of its key: ${asError(error).message}`,
        {
          cause: error,
        },
      );
    }
  }
}
