/** The `pg.Pool` of the projections: runners' batches, checkpoints, status, read-your-writes. */
export const PROJECTIONS_POOL = Symbol('PROJECTIONS_POOL');
/** `ProjectionsOptions`: the registry, the mode and the runner settings. */
export const PROJECTIONS_OPTIONS = Symbol('PROJECTIONS_OPTIONS');
