import type pg from 'pg';
import type { EventStore, ReadAllPage, RecordedEvent } from '#event-store';
import { promoteWhenCaughtUp } from '../catalog.js';
import { storeCheckpoint, type CheckpointOutcome } from '../checkpoint.js';
import { errorDetails, silentLog, type ProjectionLog } from '../log.js';
import { pause } from '../pause.js';
import { projectionContext, type Projection, type ProjectionContext } from '../projection.js';
import { RunnerLock } from './runner-lock.js';
import { LOAD_CHECKPOINT, type CheckpointRow, type VersionState } from '../schema/checkpoints.js';
import { inTransaction } from '../transaction.js';

export interface RunnerOptions {
  /** Events per transaction through `handle`; default 1000. */
  batchSize?: number;
  /** Events per transaction through the bulk path (`rebuild.handle`); default its own batchSize, else 10,000. */
  bulkBatchSize?: number;
  /** Use the projection's bulk path while catching up; default true. */
  bulk?: boolean;
  /** How long a caught-up runner waits before reading again; default 25 ms. */
  idlePollMs?: number;
  /** How often a standby tries the lock; default 1000 ms. */
  standbyPollMs?: number;
  /** First back-off after a failed batch, doubled on each further failure; default 250 ms. */
  retryInitialMs?: number;
  /** Longest back-off; default 30 s. */
  retryMaxMs?: number;
  log?: ProjectionLog;
  /** After every committed batch and whenever the runner finds itself caught up. */
  onProgress?: (progress: RunnerProgress) => void;
  /**
   * End (`caught_up`) once the version is live and has read everything visible: `cli rebuild`.
   * Also when another process holds the version's lock and brings it there: such a runner
   * stands by, reports the version's progress, and takes over should that process stop.
   */
  untilCaughtUp?: boolean;
}

export interface RunnerProgress {
  name: string;
  version: number;
  state: Exclude<VersionState, 'retired'>;
  position: string | null;
  /**
   * events applied by this runner since it started; for an `untilCaughtUp` runner, also those
   * another process applied to the version while this one stood by
   */
  eventsApplied: number;
  /** events in the batch just committed (0 when the progress is a caught-up notice) */
  batchEvents: number;
  caughtUp: boolean;
}

/** Why a runner ended. */
export type RunnerEnd = 'stopped' | 'retired' | 'missing' | 'caught_up';

/** What the runner is doing: waiting for the lock, running batches, or done. */
export type RunnerPhase = 'starting' | 'standby' | 'active' | 'stopped';

export interface RunnerDependencies {
  /** The read store: checkpoints and projection tables. */
  pool: pg.Pool;
  /** Where the events come from (PostgreSQL or EventStoreDB alike). */
  store: EventStore;
}

type BatchResult = CheckpointOutcome | { kind: 'failed' };

/** A handler's own error, told apart from the database failing under it. */
class HandlerFailure extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'HandlerFailure';
  }
}

const DEFAULT_BATCH_SIZE = 1000;
const DEFAULT_BULK_BATCH_SIZE = 10_000;

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, not ${value}`);
  return value;
}

/**
 * Runs one version of one projection (DESIGN.md §5): waits for its advisory lock (standby),
 * then reads the event store after the checkpoint in batches and applies each batch together
 * with its checkpoint in one transaction. Caught up, it polls; a building version that catches
 * up switches the views to itself. A failing batch is logged with its position, backed off and
 * retried — never skipped. `stop()` lets the batch in flight finish, then frees the lock.
 */
export class ProjectionRunner {
  private readonly abort = new AbortController();
  private readonly log: ProjectionLog;
  private readonly batchSize: number;
  private readonly bulkBatchSize: number;
  private readonly bulk: boolean;
  private readonly idlePollMs: number;
  private readonly standbyPollMs: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private running: Promise<RunnerEnd> | undefined;
  private currentPhase: RunnerPhase = 'starting';
  /**
   * Events applied to this version since the runner started: by this runner, and, while an
   * `untilCaughtUp` runner stands by, by the runner it watches (`appliedBefore` is the
   * version's count when it started).
   */
  private applied = 0;
  private appliedBefore: number | undefined;
  /** The first position of the last batch whose failing event was looked for: once per batch. */
  private diagnosedAfter: string | null | undefined;

  constructor(
    private readonly deps: RunnerDependencies,
    readonly projection: Projection,
    readonly version: number,
    private readonly options: RunnerOptions = {},
  ) {
    this.log = options.log ?? silentLog;
    this.batchSize = positive(options.batchSize ?? DEFAULT_BATCH_SIZE, 'batchSize');
    this.bulkBatchSize = positive(options.bulkBatchSize ?? projection.rebuild?.batchSize ?? DEFAULT_BULK_BATCH_SIZE, 'bulkBatchSize');
    this.bulk = (options.bulk ?? true) && projection.rebuild !== undefined;
    this.idlePollMs = options.idlePollMs ?? 25;
    this.standbyPollMs = options.standbyPollMs ?? 1000;
    this.retryInitialMs = options.retryInitialMs ?? 250;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
  }

  get phase(): RunnerPhase {
    return this.currentPhase;
  }

  /**
   * Starts the runner once; the promise settles when it ends. Failures of batches, reads and
   * locks are retried inside; it rejects only on a fault of the caller's (an `onProgress` that
   * throws).
   */
  start(): Promise<RunnerEnd> {
    this.running ??= this.run();
    return this.running;
  }

  /**
   * Finishes the batch in flight, frees the lock, and resolves when the runner has ended. A
   * failure of the run is for whoever awaits `start()`, not for the one stopping it.
   */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.running) await Promise.allSettled([this.running]);
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  private get fields(): Record<string, unknown> {
    return { projection: this.projection.name, version: this.version };
  }

  private backoff(failures: number): Promise<void> {
    return pause(Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** Math.min(failures, 20)), this.abort.signal);
  }

  private async run(): Promise<RunnerEnd> {
    const lock = new RunnerLock(this.deps.pool, this.projection.name, this.version, this.log);
    let failures = 0;
    try {
      while (!this.stopping) {
        let acquired: boolean;
        let watched: RunnerProgress | undefined;
        try {
          const row = await this.loadRow();
          if (!row) return 'missing';
          if (row.state === 'retired') return 'retired';
          this.appliedBefore ??= Number(row.events_applied);
          acquired = await lock.tryAcquire();
          if (!acquired && this.options.untilCaughtUp) watched = await this.watchOtherRunner(row);
          failures = 0;
        } catch (error) {
          this.log('warn', 'could not take the projection lock; retrying', { ...this.fields, ...errorDetails(error) });
          await lock.close().catch((closeError: unknown) => this.log('warn', 'closing the lock connection failed', { ...this.fields, ...errorDetails(closeError) }));
          await this.backoff(failures++);
          continue;
        }
        if (watched) {
          this.options.onProgress?.(watched);
          if (watched.caughtUp) {
            this.log('info', 'another process brought this version live and up to date; this runner ends', { ...this.fields, position: watched.position });
            return 'caught_up';
          }
        }
        if (!acquired) {
          if (this.currentPhase !== 'standby') this.log('info', 'another runner holds this projection version; standing by', this.fields);
          this.currentPhase = 'standby';
          await pause(this.standbyPollMs, this.abort.signal);
          continue;
        }
        this.currentPhase = 'active';
        this.log('info', 'projection runner active', this.fields);
        const end = await this.follow(lock);
        if (end) return end;
        await lock.close().catch((closeError: unknown) => this.log('warn', 'closing the lock connection failed', { ...this.fields, ...errorDetails(closeError) }));
      }
      return 'stopped';
    } finally {
      this.currentPhase = 'stopped';
      try {
        await lock.close();
      } catch (error) {
        // The session ends with the connection either way, which frees the lock.
        this.log('warn', 'releasing the projection lock failed', { ...this.fields, ...errorDetails(error) });
      }
    }
  }

  /**
   * A runner that ends once caught up (`cli rebuild`) and finds another process running its
   * version (a projector or API that took over an interrupted build, or won the lock first)
   * stands by like any other, and meanwhile reports that runner's progress. It ends
   * `caught_up` once the version is live and has reached the head: the rebuild is done, by
   * whichever process did the work. Were it to wait for the lock instead, it would wait for
   * as long as the other process lives.
   */
  private async watchOtherRunner(row: CheckpointRow): Promise<RunnerProgress> {
    const state = row.state === 'live' ? 'live' : 'building';
    this.applied = Math.max(this.applied, Number(row.events_applied) - (this.appliedBefore ?? 0));
    const head = state === 'live' ? await this.deps.store.headPosition() : undefined;
    const caughtUp = state === 'live' && (head === undefined || (row.position !== null && this.deps.store.comparePositions(row.position, head) >= 0));
    return { ...this.progressBase(row.position, state), batchEvents: 0, caughtUp };
  }

  private async loadRow(): Promise<CheckpointRow | undefined> {
    const { rows } = await this.deps.pool.query<CheckpointRow>({ ...LOAD_CHECKPOINT, values: [this.projection.name, this.version] });
    return rows[0];
  }

  private read(after: string | null, maxCount: number): Promise<ReadAllPage> {
    return this.deps.store.readAll({ after: after ?? undefined, filter: { eventTypes: this.projection.eventTypes }, maxCount });
  }

  /** Runs batches while the lock is held. Undefined: the lock was lost, try again. */
  private async follow(lock: RunnerLock): Promise<RunnerEnd | undefined> {
    let failures = 0;
    let row: CheckpointRow | undefined;
    while (!row) {
      try {
        row = await this.loadRow();
        if (!row) return 'missing';
      } catch (error) {
        this.log('warn', 'could not load the checkpoint; retrying', { ...this.fields, ...errorDetails(error) });
        await this.backoff(failures++);
        if (this.stopping) return 'stopped';
      }
    }
    if (row.state === 'retired') return 'retired';
    // Taking over from a runner it watched: count on from what that one had applied.
    if (this.options.untilCaughtUp) this.applied = Math.max(this.applied, Number(row.events_applied) - (this.appliedBefore ?? Number(row.events_applied)));
    let position = row.position;
    let state: Exclude<VersionState, 'retired'> = row.state;
    // A fresh start is assumed to be behind: the bulk path until a page comes back short.
    let catchingUp = true;
    let prefetched: { after: string; page: Promise<ReadAllPage> } | undefined;
    let stateCheckedAt = performance.now();

    const reload = async (): Promise<RunnerEnd | undefined> => {
      prefetched = undefined;
      const fresh = await this.loadRow();
      if (!fresh) return 'missing';
      if (fresh.state === 'retired') return 'retired';
      position = fresh.position;
      state = fresh.state;
      return undefined;
    };

    while (!this.stopping) {
      if (!lock.holding) {
        this.log('warn', 'the projection lock was lost; trying to take it again', this.fields);
        return undefined;
      }
      const bulk = this.bulk && catchingUp;
      const size = bulk ? this.bulkBatchSize : this.batchSize;
      let page: ReadAllPage;
      try {
        page = prefetched && prefetched.after === position ? await prefetched.page : await this.read(position, size);
      } catch (error) {
        prefetched = undefined;
        this.log('warn', 'reading the event store failed; retrying', { ...this.fields, position, ...errorDetails(error) });
        await this.backoff(failures++);
        continue;
      }
      prefetched = undefined;
      const next = page.nextAfter;
      const moved = next !== undefined && (position === null || this.deps.store.comparePositions(next, position) > 0);

      if (!moved || next === undefined) {
        catchingUp = false;
        const end = await this.caughtUp(position, state);
        if (end === 'reload') {
          const ended = await this.guardedReload(reload);
          if (ended) return ended;
          continue;
        }
        if (end === 'promoted') state = 'live';
        else if (end !== 'waiting') return end;
        if (this.options.untilCaughtUp && state === 'live') return 'caught_up';
        // An idle runner writes nothing, so no compare-and-set would tell it that its version
        // was retired meanwhile (by a newer version going live): it looks now and then.
        if (performance.now() - stateCheckedAt >= this.standbyPollMs) {
          stateCheckedAt = performance.now();
          const ended = await this.guardedReload(reload);
          if (ended) return ended;
          continue;
        }
        await pause(this.idlePollMs, this.abort.signal);
        continue;
      }

      // The next page is read while this one is applied: a catch-up is then bounded by the
      // slower of reading and writing, not their sum. Its failure is met again when it is
      // awaited; a discarded read-ahead's failure is only worth a debug line.
      if (!page.isEnd) {
        const ahead = this.read(next, size);
        ahead.catch((error: unknown) => this.log('debug', 'a read-ahead failed', { ...this.fields, after: next, ...errorDetails(error) }));
        prefetched = { after: next, page: ahead };
      }

      const result = await this.applyBatch(position, next, page.events, bulk, failures);
      switch (result.kind) {
        case 'stored': {
          position = next;
          failures = 0;
          catchingUp = !page.isEnd;
          this.applied += page.events.length;
          this.options.onProgress?.({ ...this.progressBase(position, state), batchEvents: page.events.length, caughtUp: false });
          // Under a steady load a read rarely comes back empty: a short page is caught up too.
          if (!page.isEnd) break;
          const end = await this.caughtUp(position, state);
          if (end === 'reload') {
            const ended = await this.guardedReload(reload);
            if (ended) return ended;
            break;
          }
          if (end === 'promoted') state = 'live';
          else if (end !== 'waiting') return end;
          if (this.options.untilCaughtUp && state === 'live') return 'caught_up';
          break;
        }
        case 'already_there':
        case 'mismatch': {
          this.log('warn', 'the checkpoint moved under this runner (another runner of the same version?); the batch was rolled back', {
            ...this.fields,
            outcome: result.kind,
            expected: position,
            ...(result.kind === 'mismatch' ? { current: result.current } : {}),
          });
          const ended = await this.guardedReload(reload);
          if (ended) return ended;
          break;
        }
        case 'retired':
          this.log('info', 'this projection version was retired; its runner stops', this.fields);
          return 'retired';
        case 'missing':
          this.log('warn', 'this projection version no longer exists; its runner stops', this.fields);
          return 'missing';
        case 'failed':
          prefetched = undefined;
          await this.backoff(failures++);
          break;
      }
    }
    return 'stopped';
  }

  private async guardedReload(reload: () => Promise<RunnerEnd | undefined>): Promise<RunnerEnd | undefined> {
    let failures = 0;
    while (!this.stopping) {
      try {
        return await reload();
      } catch (error) {
        this.log('warn', 'could not reload the checkpoint; retrying', { ...this.fields, ...errorDetails(error) });
        await this.backoff(failures++);
      }
    }
    return 'stopped';
  }

  private progressBase(position: string | null, state: Exclude<VersionState, 'retired'>): Omit<RunnerProgress, 'batchEvents' | 'caughtUp'> {
    return { name: this.projection.name, version: this.version, state, position, eventsApplied: this.applied };
  }

  /** Nothing more to read now. A building version switches the views to itself. */
  private async caughtUp(position: string | null, state: Exclude<VersionState, 'retired'>): Promise<'waiting' | 'promoted' | 'reload' | RunnerEnd> {
    this.options.onProgress?.({ ...this.progressBase(position, state), batchEvents: 0, caughtUp: true });
    if (state !== 'building') return 'waiting';
    try {
      const outcome = await promoteWhenCaughtUp(this.deps.pool, this.projection, this.version, position);
      switch (outcome) {
        case 'live':
          this.log('info', 'caught up: the analytics views now read this version; the previous version is retired', { ...this.fields, position });
          return 'promoted';
        case 'already_live':
          return 'promoted';
        case 'moved':
          return 'reload';
        case 'retired':
        case 'missing':
          return outcome;
      }
    } catch (error) {
      // The views stay on the old version, which keeps serving; the switch is tried again.
      this.log('error', 'switching the views to this version failed; retrying', { ...this.fields, ...errorDetails(error) });
      return 'waiting';
    }
  }

  private handlerFor(bulk: boolean): (batch: RecordedEvent[], context: ProjectionContext) => Promise<void> {
    const path = bulk ? this.projection.rebuild : undefined;
    return path ? (batch, context) => path.handle(batch, context) : (batch, context) => this.projection.handle(batch, context);
  }

  /** One transaction: the checkpoint's compare-and-set first (it locks the row), then the handler. */
  private async applyBatch(expected: string | null, next: string, events: RecordedEvent[], bulk: boolean, failures: number): Promise<BatchResult> {
    const handler = this.handlerFor(bulk);
    try {
      return await inTransaction(this.deps.pool, async (client) => {
        const outcome = await storeCheckpoint(client, {
          name: this.projection.name,
          version: this.version,
          expected,
          next,
          eventsSeen: events.length,
          eventsApplied: events.length,
          lastRecordedAt: events.at(-1)?.recordedAt ?? null,
        });
        // Not stored: nothing was written, so the (empty) transaction may just as well commit.
        if (outcome.kind !== 'stored' || events.length === 0) return outcome;
        try {
          await handler(events, projectionContext(this.projection, this.version, client));
        } catch (error) {
          throw new HandlerFailure(error);
        }
        return outcome;
      });
    } catch (error) {
      await this.reportFailure(error, expected, events, handler, failures);
      return { kind: 'failed' };
    }
  }

  private async reportFailure(
    error: unknown,
    expected: string | null,
    events: RecordedEvent[],
    handler: (batch: RecordedEvent[], context: ProjectionContext) => Promise<void>,
    failures: number,
  ): Promise<void> {
    const retryInMs = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** Math.min(failures, 20));
    const batch = { batchAfter: expected, batchFirstPosition: events[0]?.position, batchLastPosition: events.at(-1)?.position, batchEvents: events.length };
    if (!(error instanceof HandlerFailure)) {
      this.log('error', 'a projection batch failed; it was rolled back and will be retried', { ...this.fields, ...batch, attempt: failures + 1, retryInMs, ...errorDetails(error) });
      return;
    }
    let culprit: { event: RecordedEvent; error: unknown } | undefined;
    if (events.length === 1) culprit = { event: events[0], error: error.failure };
    else if (this.diagnosedAfter !== expected) {
      this.diagnosedAfter = expected;
      culprit = await this.findFailingEvent(events, handler);
    }
    this.log('error', 'the projection handler failed; the batch was rolled back and will be retried', {
      ...this.fields,
      ...batch,
      ...(culprit ? { eventPosition: culprit.event.position, streamId: culprit.event.streamId, revision: culprit.event.revision, eventType: culprit.event.type } : {}),
      attempt: failures + 1,
      retryInMs,
      ...errorDetails(culprit?.error ?? error.failure),
    });
  }

  /**
   * Which event of a failed batch fails the handler: the events are applied one by one in a
   * transaction that is always rolled back, so the log can name the event's position while
   * the tables and the checkpoint stay as they were.
   */
  private async findFailingEvent(
    events: RecordedEvent[],
    handler: (batch: RecordedEvent[], context: ProjectionContext) => Promise<void>,
  ): Promise<{ event: RecordedEvent; error: unknown } | undefined> {
    const client = await this.deps.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const context = projectionContext(this.projection, this.version, client);
        for (const event of events) {
          try {
            await handler([event], context);
          } catch (error) {
            return { event, error };
          }
        }
        return undefined;
      } finally {
        try {
          await client.query('ROLLBACK');
        } catch (error) {
          broken = error instanceof Error ? error : new Error(String(error));
        }
      }
    } catch (error) {
      this.log('warn', 'looking for the failing event of a batch failed', { ...this.fields, ...errorDetails(error) });
      return undefined;
    } finally {
      client.release(broken);
    }
  }
}
