import { Inject, Injectable } from '@nestjs/common';
import { InvalidPositionError, ProjectionNotCaughtUpError, ProjectionPositions } from '#read-model/projections/index.js';
import { ApiError } from '#platform';

/** How long a report waits for its projections by default before answering 503. */
export const DEFAULT_READ_YOUR_WRITES_TIMEOUT_MS = 5000;
// The projections apply a command within well under a second when they keep up at all.
const PROJECTION_RETRY_AFTER_SECONDS = 1;

/**
 * Read-your-writes for report endpoints: `await readYourWrites.waitForPosition(['tickets'],
 * query.minPosition)` before reading the views. Without a `minPosition` it returns at once.
 * Behind after the wait: 503 PROJECTION_NOT_CAUGHT_UP with each projection's position in
 * `details`; a position the event store cannot read: 400 INVALID_POSITION.
 */
@Injectable()
export class ReadYourWrites {
  constructor(@Inject(ProjectionPositions) private readonly positions: ProjectionPositions) {}

  async waitForPosition(
    projectionNames: readonly string[],
    minPosition: string | undefined,
    timeoutMs = DEFAULT_READ_YOUR_WRITES_TIMEOUT_MS,
  ): Promise<void> {
    if (minPosition === undefined) return;
    try {
      await this.positions.waitForPosition(projectionNames, minPosition, timeoutMs);
    } catch (error) {
      throw toHttpFailure(error);
    }
  }
}

/** The engine's typed errors as the API answers them; anything else stays as it is. */
export function toHttpFailure(error: unknown): unknown {
  if (error instanceof ProjectionNotCaughtUpError) {
    // 503, not 504 or 409: the request is fine and will succeed when retried a little later.
    return ApiError.unavailable(
      error.code,
      `The read models have not reached position ${error.minPosition} yet (waited ${error.waitedMs} ms); retry shortly.`,
      {
        minPosition: error.minPosition,
        positions: error.positions,
        waitedMs: error.waitedMs,
        retryAfterSeconds: PROJECTION_RETRY_AFTER_SECONDS,
      },
    );
  }
  if (error instanceof InvalidPositionError) {
    return new ApiError(error.code, `minPosition ${JSON.stringify(error.position)} is not a position this API gave out.`, 'bad_request', {
      minPosition: error.position,
    });
  }
  return error;
}
