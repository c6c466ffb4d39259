import { promoteWhenCaughtUp } from '../catalog.js';
import { errorDetails } from '../log.js';
import type { VersionState } from '../schema/checkpoints.js';
import type { RunnerContext } from './runner-context.js';

/**
 * What a caught-up runner does next: wait for new events (`waiting`), run on as the live version
 * (`promoted`), reload its checkpoint (`reload`: another runner moved it), or end.
 */
export type AfterPromotion = 'waiting' | 'promoted' | 'reload' | 'retired' | 'missing';

/**
 * Blue/green: a building version that has caught up (at `position`) switches the views to itself;
 * the catalog retires the old live version in the same transaction. A live version has nothing to do.
 */
export async function promoteIfBuilding(
  runner: RunnerContext,
  position: string | null,
  state: Exclude<VersionState, 'retired'>,
): Promise<AfterPromotion> {
  if (state !== 'building') return 'waiting';
  try {
    const outcome = await promoteWhenCaughtUp(runner.deps.pool, runner.projection, runner.version, position);
    switch (outcome) {
      case 'live':
        runner.log('info', 'caught up: the analytics views now read this version; the previous version is retired', {
          ...runner.fields,
          position,
        });
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
    runner.log('error', 'switching the views to this version failed; retrying', { ...runner.fields, ...errorDetails(error) });
    return 'waiting';
  }
}
