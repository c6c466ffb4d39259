import type { ProjectionLog } from '../log.js';
import type { Projection } from '../projection.js';
import type { RunnerDependencies, RunnerSettings } from './runner-options.js';
import type { ProgressTracker } from './runner-progress.js';

/** Why a runner ended. */
export type RunnerEnd = 'stopped' | 'retired' | 'missing' | 'caught_up';

/** What every part of one runner works with. */
export interface RunnerContext {
  readonly deps: RunnerDependencies;
  readonly projection: Projection;
  /** the physical version this runner runs */
  readonly version: number;
  readonly settings: RunnerSettings;
  readonly log: ProjectionLog;
  /** Aborted by `stop()`: loops end after the batch in flight, pauses and back-offs at once. */
  readonly signal: AbortSignal;
  /** projection and version, on every log line */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly progress: ProgressTracker;
}
