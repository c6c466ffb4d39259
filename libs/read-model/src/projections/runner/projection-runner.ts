import { errorDetails, silentLog } from '../log.js';
import type { Projection } from '../projection.js';
import { FailedBatchLog } from './failed-batch.js';
import { runBatches } from './run-batches.js';
import type { RunnerContext, RunnerEnd } from './runner-context.js';
import { RunnerLock } from './runner-lock.js';
import { runnerSettings, type RunnerDependencies, type RunnerOptions } from './runner-options.js';
import { ProgressTracker } from './runner-progress.js';
import { closeLock, takeLockOrStandBy } from './standby.js';

/** What the runner is doing: waiting for the lock, running batches, or done. */
export type RunnerPhase = 'starting' | 'standby' | 'active' | 'stopped';

/**
 * Runs one version of one projection (DESIGN.md §5). Start reading here; each step has a file:
 *
 * 1. waits for the version's advisory lock, standing by while another runner holds it
 *    (standby.ts, runner-lock.ts; a `cli rebuild` runner meanwhile reports the other runner's
 *    progress: watch-other-runner.ts);
 * 2. holding it, reads the event store after the checkpoint in batches, one page ahead
 *    (run-batches.ts, read-ahead.ts), and applies each batch together with its checkpoint in
 *    one transaction (apply-batch.ts);
 * 3. caught up, polls; a building version that catches up switches the views to itself
 *    (promotion.ts);
 * 4. a failing batch is rolled back, logged with the event it fails on (failed-batch.ts), backed
 *    off (../backoff.ts) and retried — never skipped;
 * 5. should it lose the lock (its connection broke), back to 1.
 *
 * `stop()` lets the batch in flight finish, then frees the lock. The options and their defaults
 * are in runner-options.ts, what `onProgress` hears in runner-progress.ts, and what every step
 * shares in runner-context.ts.
 */
export class ProjectionRunner {
  private readonly abort = new AbortController();
  private readonly context: RunnerContext;
  private running: Promise<RunnerEnd> | undefined;
  private currentPhase: RunnerPhase = 'starting';

  /** Throws a RangeError for a batch size that is not a positive integer. */
  constructor(
    deps: RunnerDependencies,
    readonly projection: Projection,
    readonly version: number,
    options: RunnerOptions = {},
  ) {
    this.context = {
      deps,
      projection,
      version,
      settings: runnerSettings(options, projection),
      log: options.log ?? silentLog,
      signal: this.abort.signal,
      fields: { projection: projection.name, version },
      progress: new ProgressTracker(projection.name, version, options.onProgress),
    };
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

  private async run(): Promise<RunnerEnd> {
    const { deps, projection, version, log, fields, signal } = this.context;
    const lock = new RunnerLock(deps.pool, projection.name, version, log);
    const failedBatches = new FailedBatchLog(this.context);
    try {
      while (!signal.aborted) {
        const lockTaken = await takeLockOrStandBy(this.context, lock, () => {
          this.currentPhase = 'standby';
        });
        if (lockTaken !== 'acquired') return lockTaken;
        this.currentPhase = 'active';
        log('info', 'projection runner active', fields);
        const end = await runBatches(this.context, lock, failedBatches);
        if (end) return end;
        await closeLock(this.context, lock);
      }
      return 'stopped';
    } finally {
      this.currentPhase = 'stopped';
      try {
        await lock.close();
      } catch (error) {
        // The session ends with the connection either way, which frees the lock.
        log('warn', 'releasing the projection lock failed', { ...fields, ...errorDetails(error) });
      }
    }
  }
}
