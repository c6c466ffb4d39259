import { backOff } from '../backoff.js';
import { loadCheckpoint } from '../checkpoint.js';
import { errorDetails } from '../log.js';
import { pause } from '../pause.js';
import type { RunnerContext, RunnerEnd } from './runner-context.js';
import type { RunnerLock } from './runner-lock.js';
import { watchOtherRunner, type Watched } from './watch-other-runner.js';

/**
 * Lock and standby: of the runners of one version, in however many processes, the one holding
 * the version's advisory lock (runner-lock.ts) is active. The others stand by and try the lock
 * every `standbyPollMs`, so one of them takes over within that time of the lock being freed.
 * Each try reads the checkpoint first: a version retired or dropped meanwhile ends the runner.
 * An `untilCaughtUp` runner standing by reports the other runner's progress (watch-other-runner.ts).
 *
 * Resolves `acquired` once this runner holds the lock, else how the runner ends. `onStandby`
 * is called when it finds the lock taken.
 */
export async function takeLockOrStandBy(runner: RunnerContext, lock: RunnerLock, onStandby: () => void): Promise<'acquired' | RunnerEnd> {
  const { settings, log, fields, signal, progress } = runner;
  let failures = 0;
  let standingBy = false;
  while (!signal.aborted) {
    let acquired: boolean;
    let watched: Watched | undefined;
    try {
      const row = await loadCheckpoint(runner.deps.pool, runner.projection.name, runner.version);
      if (!row) return 'missing';
      if (row.state === 'retired') return 'retired';
      progress.seen(row);
      acquired = await lock.tryAcquire();
      if (!acquired && settings.untilCaughtUp) watched = await watchOtherRunner(runner, row);
      failures = 0;
    } catch (error) {
      log('warn', 'could not take the projection lock; retrying', { ...fields, ...errorDetails(error) });
      await closeLock(runner, lock);
      await backOff(failures++, settings.retry, signal);
      continue;
    }
    if (watched) {
      progress.watched(watched.position, watched.state, watched.caughtUp);
      if (watched.caughtUp) {
        log('info', 'another process brought this version live and up to date; this runner ends', {
          ...fields,
          position: watched.position,
        });
        return 'caught_up';
      }
    }
    if (acquired) return 'acquired';
    if (!standingBy) log('info', 'another runner holds this projection version; standing by', fields);
    standingBy = true;
    onStandby();
    await pause(settings.standbyPollMs, signal);
  }
  return 'stopped';
}

/** Closes the lock's connection (which frees the lock) before trying again; a failure is only logged. */
export async function closeLock(runner: RunnerContext, lock: RunnerLock): Promise<void> {
  await lock
    .close()
    .catch((error: unknown) => runner.log('warn', 'closing the lock connection failed', { ...runner.fields, ...errorDetails(error) }));
}
