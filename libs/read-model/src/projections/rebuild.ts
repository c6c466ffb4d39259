import { startRebuild } from './catalog.js';
import { errorDetails, silentLog, type ProjectionLog } from './log.js';
import { validateRegistry, type Projection } from './projection.js';
import { perStreamReads, runPerStreamPhase, type PerStreamMember } from './runner/per-stream-phase.js';
import { ProjectionRunner } from './runner/projection-runner.js';
import type { RunnerEnd } from './runner/runner-context.js';
import { RunnerLock } from './runner/runner-lock.js';
import { runnerSettings, type RunnerDependencies, type RunnerOptions } from './runner/runner-options.js';
import { migrateProjections } from './schema/migrate-projections.js';

export interface RebuildOptions extends Omit<RunnerOptions, 'untilCaughtUp' | 'log'> {
  log?: ProjectionLog;
  /** Told the version as soon as it is known, before the first batch. */
  onStart?: (start: { version: number; resumed: boolean }) => void;
  /** Aborting it stops the rebuild after the batch in flight; it resumes from its checkpoint next time. */
  signal?: AbortSignal;
}

export interface RebuildManyOptions extends Omit<RebuildOptions, 'onStart'> {
  /** Told each projection's version as soon as it is known, before the first chunk. */
  onStart?: (start: { name: string; version: number; resumed: boolean }) => void;
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
  const { onStart } = options;
  const [summary] = await rebuildProjections(deps, [projection], {
    ...options,
    onStart: onStart && ((start) => onStart({ version: start.version, resumed: start.resumed })),
  });
  return summary;
}

/**
 * `cli rebuild` of several projections (and the bench): each into a fresh version, as
 * `rebuildProjection`, but the projections with a per-stream path (projection.ts) are first
 * built together from ONE per-stream read of the log (runner/per-stream-phase.ts: one
 * transaction per chunk for all of them, each with its own stored progress), holding every
 * one's runner lock meanwhile; the projections without one rebuild from the log alongside, one
 * after the other. Then each phased runner follows the log from its head, one after the other,
 * and switches its views. A version whose lock another process holds (a projector) is
 * left to that process; this call's runner for it stands by and reports its progress.
 */
export async function rebuildProjections(
  deps: RunnerDependencies,
  projections: readonly Projection[],
  options: RebuildManyOptions = {},
): Promise<RebuildSummary[]> {
  validateRegistry(projections);
  const log = options.log ?? silentLog;
  await migrateProjections(deps.pool);
  const started = new Map<string, { version: number; resumed: boolean; seconds: number; eventsApplied: number }>();
  for (const projection of projections) {
    const start = await startRebuild(deps.pool, projection, log);
    started.set(projection.name, { version: start.version, resumed: start.resumed, seconds: 0, eventsApplied: 0 });
    options.onStart?.({ name: projection.name, version: start.version, resumed: start.resumed });
    log('info', start.resumed ? 'continuing an interrupted rebuild' : 'rebuilding into a fresh version', {
      projection: projection.name,
      version: start.version,
    });
  }
  const follow = async (projection: Projection, stopped: boolean): Promise<RebuildSummary> => {
    const start = started.get(projection.name);
    if (!start) throw new Error(`no version was started for ${projection.name}`);
    let applied = 0;
    const counting = new ProjectionRunner(deps, projection, start.version, {
      ...options,
      perStream: options.perStream ?? true,
      log,
      untilCaughtUp: true,
      onProgress: (progress) => {
        applied = progress.eventsApplied;
        options.onProgress?.({ ...progress, eventsApplied: start.eventsApplied + progress.eventsApplied });
      },
    });
    const stop = (): void => {
      void counting.stop();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    const begun = performance.now();
    try {
      if (options.signal?.aborted || stopped) stop();
      const end = await counting.start();
      return {
        name: projection.name,
        version: start.version,
        definitionVersion: projection.version,
        resumed: start.resumed,
        end,
        eventsApplied: start.eventsApplied + applied,
        seconds: start.seconds + (performance.now() - begun) / 1000,
      };
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
  };
  const followEach = async (chosen: readonly Projection[], stopped: boolean): Promise<RebuildSummary[]> => {
    const summaries: RebuildSummary[] = [];
    for (const projection of chosen) summaries.push(await follow(projection, stopped));
    return summaries;
  };
  // The projections without a per-stream phase rebuild from the log while the shared phase runs:
  // the phase waits on PostgreSQL's writes about half the time, and the two reads do not compete for rows.
  const phased = perStreamReads(deps.store) ? projections.filter((projection) => projection.perStream !== undefined) : [];
  const alongside = projections.filter((projection) => !phased.includes(projection));
  // Both settle before anything is thrown: a failure on one side must not leave the other running unawaited.
  const [phase, beside] = await Promise.allSettled([
    sharedPerStreamPhase(deps, phased, started, { ...options, log }),
    followEach(alongside, false),
  ]);
  if (phase.status === 'rejected') throw phase.reason;
  if (beside.status === 'rejected') throw beside.reason;
  const summaries = [...beside.value, ...(await followEach(phased, phase.value))];
  return projections.map((projection) => {
    const summary = summaries.find((one) => one.name === projection.name);
    if (!summary) throw new Error(`no summary for ${projection.name}`);
    return summary;
  });
}

/**
 * The per-stream phase of every projection that has one, from one read, under their runner
 * locks (those another process holds are left to it). Adds each one's events and the phase's
 * time to `started`; true when the signal stopped it.
 */
async function sharedPerStreamPhase(
  deps: RunnerDependencies,
  projections: readonly Projection[],
  started: Map<string, { version: number; seconds: number; eventsApplied: number }>,
  options: RebuildManyOptions & { log: ProjectionLog },
): Promise<boolean> {
  const { log } = options;
  const capable = projections.filter((projection) => projection.perStream !== undefined);
  if (capable.length === 0) return false;
  const locks: Array<{ name: string; lock: RunnerLock }> = [];
  const members: PerStreamMember[] = [];
  const begun = performance.now();
  try {
    for (const projection of capable) {
      const start = started.get(projection.name);
      if (!start) continue;
      const lock = new RunnerLock(deps.pool, projection.name, start.version, log);
      locks.push({ name: projection.name, lock });
      if (!(await lock.tryAcquire())) continue;
      members.push({
        projection,
        version: start.version,
        committed: (events, head) => {
          start.eventsApplied += events;
          options.onProgress?.({
            name: projection.name,
            version: start.version,
            state: 'building',
            position: head,
            eventsApplied: start.eventsApplied,
            batchEvents: events,
            caughtUp: false,
          });
        },
      });
    }
    if (members.length === 0) return false;
    const settings = runnerSettings(options, capable[0]);
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) stop();
    try {
      const end = await runPerStreamPhase(deps, members, {
        chunkEvents: settings.perStreamChunkEvents,
        begin: options.perStream ?? true,
        signal: controller.signal,
        log,
        retry: settings.retry,
      });
      return end === 'stopped';
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
  } finally {
    const seconds = (performance.now() - begun) / 1000;
    for (const member of members) {
      const start = started.get(member.projection.name);
      if (start) start.seconds += seconds;
    }
    for (const { name, lock } of locks) {
      try {
        await lock.close();
      } catch (error) {
        // The session ends with the connection either way, which frees the lock.
        log('warn', 'releasing a projection lock failed', { projection: name, ...errorDetails(error) });
      }
    }
  }
}
