/**
 * Errors of the projection engine. Each has a stable `code`, so the API and the CLI can tell
 * them apart without matching messages.
 */

/** A projection definition (or a registry of them) that the engine refuses to run. */
export class ProjectionDefinitionError extends Error {
  readonly code = 'PROJECTION_DEFINITION_INVALID';
  constructor(
    readonly projection: string,
    message: string,
  ) {
    super(`projection ${projection}: ${message}`);
    this.name = 'ProjectionDefinitionError';
  }
}

/** The checkpoint of one projection version, as `waitForPosition` last saw it. */
export interface ProjectionPosition {
  name: string;
  /** the live version (the one the analytics views read), or null when none is live */
  version: number | null;
  /** null when the version has read nothing yet */
  position: string | null;
}

/** Read-your-writes gave up: some projection has not reached the position within the wait. */
export class ProjectionNotCaughtUpError extends Error {
  readonly code = 'PROJECTION_NOT_CAUGHT_UP';
  constructor(
    readonly minPosition: string,
    readonly positions: ProjectionPosition[],
    readonly waitedMs: number,
  ) {
    const behind = positions.map((entry) => `${entry.name} at ${entry.position ?? 'nothing yet'}`).join(', ');
    super(`projections have not reached position ${minPosition} within ${waitedMs} ms (${behind})`);
    this.name = 'ProjectionNotCaughtUpError';
  }
}

/** A position that the event store cannot read (not one of its own). */
export class InvalidPositionError extends Error {
  readonly code = 'INVALID_POSITION';
  constructor(
    readonly position: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(position)} is not a position of this event store: ${reason}`);
    this.name = 'InvalidPositionError';
  }
}

/** `cli rebuild <name>` or a status request named a projection that is not registered. */
export class UnknownProjectionError extends Error {
  readonly code = 'PROJECTION_UNKNOWN';
  constructor(
    readonly projection: string,
    readonly known: string[],
  ) {
    super(`no projection is registered as "${projection}"; registered: ${known.length === 0 ? 'none' : known.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}

/** The old version's views could not be replaced (e.g. an analyst's own view depends on one). */
export class ViewSwitchError extends Error {
  readonly code = 'PROJECTION_VIEW_SWITCH_FAILED';
  constructor(
    readonly projection: string,
    readonly version: number,
    readonly view: string,
    cause: unknown,
  ) {
    super(
      `projection ${projection} v${version}: the view ${view} could not be switched: ` +
        `${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'ViewSwitchError';
  }
}
