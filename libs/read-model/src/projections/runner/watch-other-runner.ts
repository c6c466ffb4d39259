import type { CheckpointRow } from '../schema/checkpoints.js';
import type { RunnerContext } from './runner-context.js';

/** Where the other runner has brought the version. */
export interface Watched {
  position: string | null;
  state: 'live' | 'building';
  /** live and at the head of the event store: the rebuild is done */
  caughtUp: boolean;
}

/**
 * A runner that ends once caught up (`cli rebuild`) and finds another process running its
 * version (a projector or API that took over an interrupted build, or won the lock first)
 * stands by like any other, and meanwhile reports that runner's progress. It ends
 * `caught_up` once the version is live and has reached the head: the rebuild is done, by
 * whichever process did the work. Were it to wait for the lock instead, it would wait for
 * as long as the other process lives.
 */
export async function watchOtherRunner(runner: RunnerContext, row: CheckpointRow): Promise<Watched> {
  const { store } = runner.deps;
  const state = row.state === 'live' ? 'live' : 'building';
  runner.progress.countAppliedElsewhere(row);
  const head = state === 'live' ? await store.headPosition() : undefined;
  const caughtUp = state === 'live' && (head === undefined || (row.position !== null && store.comparePositions(row.position, head) >= 0));
  return { position: row.position, state, caughtUp };
}
