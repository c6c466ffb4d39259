/**
 * The projection engine (DESIGN.md §5): what a projection declares, and the runner, daemon,
 * rebuild, status and read-your-writes that run and watch it.
 */
export {
  validateRegistry,
  newestDefinitions,
  type BulkPath,
  type PerStreamPath,
  type Projection,
  type ProjectionContext,
  type ProjectionTable,
} from './projection.js';
export { ProjectionDaemon, type DaemonOptions, type RunnerState } from './projection-daemon.js';
export { ProjectionRunner, type RunnerPhase } from './runner/projection-runner.js';
export type { RunnerDependencies, RunnerOptions } from './runner/runner-options.js';
export type { RunnerEnd } from './runner/runner-context.js';
export type { RunnerProgress } from './runner/runner-progress.js';
export { rebuildProjection, rebuildProjections, type RebuildManyOptions, type RebuildOptions, type RebuildSummary } from './rebuild.js';
export {
  dropRetiredVersions,
  listCheckpoints,
  planProjection,
  promoteWhenCaughtUp,
  startRebuild,
  type DroppedVersion,
  type PlannedVersion,
} from './catalog.js';
export { storeCheckpoint, type CheckpointMove, type CheckpointOutcome } from './checkpoint.js';
export { ProjectionPositions } from './read-your-writes.js';
export { readProjectionStatus, type ProjectionVersionStatus, type StatusOptions } from './projection-status.js';
export { migrateProjections } from './schema/migrate-projections.js';
export type { CheckpointRow, VersionState } from './schema/checkpoints.js';
export { ANALYTICS_SCHEMA, PROJECTIONS_SCHEMA, physicalTableName, viewName } from './names.js';
export { errorDetails, silentLog, type ProjectionLog, type ProjectionLogLevel } from './log.js';
export {
  InvalidPositionError,
  ProjectionDefinitionError,
  ProjectionNotCaughtUpError,
  UnknownProjectionError,
  ViewSwitchError,
  type ProjectionPosition,
} from './errors.js';
