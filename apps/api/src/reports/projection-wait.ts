/**
 * Read-your-writes (issue 3): a report request may pass `minPosition` (the position a
 * command's answer gave) and is answered once the projections it reads have reached it.
 * The projection runner provides the real waiting (bounded, then 503 with the current
 * position); it binds PROJECTION_WAIT in a global module. Until then (or in a process
 * without projections) `immediateProjectionWait` stands in and resolves at once.
 */
export const PROJECTION_WAIT = Symbol('PROJECTION_WAIT');

export interface ProjectionWait {
  /** Resolves once every projection the reports read has applied `minPosition` (an opaque store position). */
  wait(minPosition: string): Promise<void>;
}

/** The default until the projection runner binds PROJECTION_WAIT: nothing to wait for. */
export const immediateProjectionWait: ProjectionWait = {
  wait: () => Promise.resolve(),
};
