import type { ReadAllPage } from '#event-store';
import { backOff } from '../backoff.js';
import { loadCheckpoint } from '../checkpoint.js';
import { errorDetails } from '../log.js';
import { pause } from '../pause.js';
import type { CheckpointRow, VersionState } from '../schema/checkpoints.js';
import { applyBatch, batchHandler } from './apply-batch.js';
import type { FailedBatchLog } from './failed-batch.js';
import { perStreamReads, runPerStreamPhase } from './per-stream-phase.js';
import { promoteIfBuilding } from './promotion.js';
import { ReadAhead } from './read-ahead.js';
import type { RunnerContext, RunnerEnd } from './runner-context.js';
import type { RunnerLock } from './runner-lock.js';

/**
 * The active runner, while it holds the lock: reads the page after the checkpoint (one page read
 * ahead), applies it together with the checkpoint in one transaction (apply-batch.ts), and again.
 * Caught up, it reports so, switches the views if its version was building (promotion.ts), and
 * polls. A failed batch is logged (failed-batch.ts), backed off and retried: never skipped.
 *
 * Resolves how the runner ends, or undefined when the lock was lost: take it again.
 */
export async function runBatches(runner: RunnerContext, lock: RunnerLock, failedBatches: FailedBatchLog): Promise<RunnerEnd | undefined> {
  const { deps, projection, version, settings, log, fields, signal, progress } = runner;
  const backoff = (failures: number): Promise<void> => backOff(failures, settings.retry, signal);
  let failures = 0;
  const load = async (): Promise<CheckpointRow | RunnerEnd> => {
    for (;;) {
      try {
        return (await loadCheckpoint(deps.pool, projection.name, version)) ?? 'missing';
      } catch (error) {
        log('warn', 'could not load the checkpoint; retrying', { ...fields, ...errorDetails(error) });
        await backoff(failures++);
        if (signal.aborted) return 'stopped';
      }
    }
  };
  let row = await load();
  if (typeof row === 'string') return row;
  if (row.state === 'retired') return 'retired';
  if (row.position === null && projection.perStream && perStreamReads(deps.store)) {
    const phaseState = row.state;
    const phase = await runPerStreamPhase(
      deps,
      [{ projection, version, committed: (events, head) => progress.committed(head, phaseState, events) }],
      { chunkEvents: settings.perStreamChunkEvents, begin: settings.perStream, signal, log, retry: settings.retry },
    );
    if (phase === 'stopped') return 'stopped';
    row = await load();
    if (typeof row === 'string') return row;
    if (row.state === 'retired') return 'retired';
  }
  // Taking over from a runner it watched: count on from what that one had applied.
  if (settings.untilCaughtUp) progress.countAppliedElsewhere(row);
  let position = row.position;
  let state: Exclude<VersionState, 'retired'> = row.state;
  // A fresh start is assumed to be behind: the bulk path until a page comes back short.
  let catchingUp = true;
  let stateCheckedAt = performance.now();
  const readAhead = new ReadAhead(
    (after, maxCount) => deps.store.readAll({ after: after ?? undefined, filter: { eventTypes: projection.eventTypes }, maxCount }),
    // A read-ahead that is used fails again where it is awaited; a discarded one's failure is only worth a debug line.
    (after, error) => log('debug', 'a read-ahead failed', { ...fields, after, ...errorDetails(error) }),
  );

  /** Reads the checkpoint again (another runner moved it, or the version may have been retired). */
  const reload = async (): Promise<RunnerEnd | undefined> => {
    let reloadFailures = 0;
    while (!signal.aborted) {
      readAhead.discard();
      try {
        const fresh = await loadCheckpoint(deps.pool, projection.name, version);
        if (!fresh) return 'missing';
        if (fresh.state === 'retired') return 'retired';
        position = fresh.position;
        state = fresh.state;
        return undefined;
      } catch (error) {
        log('warn', 'could not reload the checkpoint; retrying', { ...fields, ...errorDetails(error) });
        await backoff(reloadFailures++);
      }
    }
    return 'stopped';
  };

  /** Nothing more to read now: says whether to read on (`reloaded` after a reload), or how to end. */
  const caughtUp = async (): Promise<'read_on' | 'reloaded' | RunnerEnd> => {
    progress.caughtUp(position, state);
    const next = await promoteIfBuilding(runner, position, state);
    if (next === 'reload') return (await reload()) ?? 'reloaded';
    if (next === 'promoted') state = 'live';
    else if (next !== 'waiting') return next;
    return settings.untilCaughtUp && state === 'live' ? 'caught_up' : 'read_on';
  };

  while (!signal.aborted) {
    if (!lock.holding) {
      log('warn', 'the projection lock was lost; trying to take it again', fields);
      return undefined;
    }
    const bulk = settings.bulk && catchingUp;
    const size = bulk ? settings.bulkBatchSize : settings.batchSize;
    let page: ReadAllPage;
    try {
      page = await readAhead.next(position, size);
    } catch (error) {
      log('warn', 'reading the event store failed; retrying', { ...fields, position, ...errorDetails(error) });
      await backoff(failures++);
      continue;
    }
    const next = page.nextAfter;
    const moved = next !== undefined && (position === null || deps.store.comparePositions(next, position) > 0);

    if (!moved || next === undefined) {
      catchingUp = false;
      const then = await caughtUp();
      if (then === 'reloaded') continue;
      if (then !== 'read_on') return then;
      // An idle runner writes nothing, so no compare-and-set would tell it that its version
      // was retired meanwhile (by a newer version going live): it looks now and then.
      if (performance.now() - stateCheckedAt >= settings.standbyPollMs) {
        stateCheckedAt = performance.now();
        const ended = await reload();
        if (ended) return ended;
        continue;
      }
      await pause(settings.idlePollMs, signal);
      continue;
    }

    if (!page.isEnd) readAhead.start(next, size);
    const handler = batchHandler(projection, bulk);
    const result = await applyBatch(runner, position, next, page.events, handler);
    switch (result.kind) {
      case 'stored': {
        position = next;
        failures = 0;
        catchingUp = !page.isEnd;
        progress.committed(position, state, page.events.length);
        // Under a steady load a read rarely comes back empty: a short page is caught up too.
        if (!page.isEnd) break;
        const then = await caughtUp();
        if (then !== 'read_on' && then !== 'reloaded') return then;
        break;
      }
      case 'already_there':
      case 'mismatch': {
        log('warn', 'the checkpoint moved under this runner (another runner of the same version?); the batch was rolled back', {
          ...fields,
          outcome: result.kind,
          expected: position,
          ...(result.kind === 'mismatch' ? { current: result.current } : {}),
        });
        const ended = await reload();
        if (ended) return ended;
        break;
      }
      case 'retired':
        log('info', 'this projection version was retired; its runner stops', fields);
        return 'retired';
      case 'missing':
        log('warn', 'this projection version no longer exists; its runner stops', fields);
        return 'missing';
      case 'failed':
        await failedBatches.report(result.error, position, page.events, handler, failures);
        readAhead.discard();
        await backoff(failures++);
        break;
    }
  }
  return 'stopped';
}
