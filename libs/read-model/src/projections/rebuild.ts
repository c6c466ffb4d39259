import { startRebuild } from './catalog.js';
import { silentLog, type ProjectionLog } from './log.js';
import { validateRegistry, type Projection } from './projection.js';
import { ProjectionRunner } from './runner/projection-runner.js';
import type { RunnerEnd } from './runner/runner-context.js';
import type { RunnerDependencies, RunnerOptions } from './runner/runner-options.js';
import { migrateProjections } from './schema/migrate-projections.js';

export interface RebuildOptions extends Omit<RunnerOptions, 'untilCaughtUp' | 'log'> {
  log?: ProjectionLog;
  /** Told the version as soon as it is known, before the first batch. */
  onStart?: (start: { version: number; resumed: boolean }) => void;
  /** Aborting it stops the rebuild after the batch in flight; it resumes from its checkpoint next time. */
  signal?: AbortSignal;
}

export interface RebuildSummary {
  name: string;
  version: number;
  definitionVersion: number;
  /** an interrupted build of the same definition was continued */
  resumed: boolean;
  /** `caught_up`: the views read the new version now; `stopped`: interrupted (resumable) */
  end: RunnerEnd;
  eventsApplied: number;
  seconds: number;
}

/**
 * `cli rebuild`: builds the projection from zero into a fresh version beside the live one
 * (blue/green), and switches the views to it once it has caught up. An interrupted rebuild
 * is continued by the next call — or by a projector, which runs building versions too.
 */
export async function rebuildProjection(
  deps: RunnerDependencies,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildSummary> {
  validateRegistry([projection]);
  const log = options.log ?? silentLog;
  await migrateProjections(deps.pool);
  const start = await startRebuild(deps.pool, projection, log);
  options.onStart?.({ version: start.version, resumed: start.resumed });
  log('info', start.resumed ? 'continuing an interrupted rebuild' : 'rebuilding into a fresh version', {
    projection: projection.name,
    version: start.version,
  });
  let eventsApplied = 0;
  const runner = new ProjectionRunner(deps, projection, start.version, {
    ...options,
    log,
    untilCaughtUp: true,
    onProgress: (progress) => {
      eventsApplied = progress.eventsApplied;
      options.onProgress?.(progress);
    },
  });
  const stop = (): void => {
    void runner.stop();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  const started = performance.now();
  try {
    if (options.signal?.aborted) stop();
    const end = await runner.start();
    return {
      name: projection.name,
      version: start.version,
      definitionVersion: projection.version,
      resumed: start.resumed,
      end,
      eventsApplied,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
