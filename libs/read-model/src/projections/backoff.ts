import { pause } from './pause.js';

/** How long to wait after failures in a row: `initialMs`, doubled on each further failure, at most `maxMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** The wait after `failures` failures in a row (0: the first failure). */
export function backoffMs(failures: number, backoff: Backoff): number {
  // The exponent is capped so that a long outage never computes 2 ** 1000.
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 20));
}

/** Waits out the back-off; a stop (`signal`) ends the wait at once. */
export function backOff(failures: number, backoff: Backoff, signal: AbortSignal): Promise<void> {
  return pause(backoffMs(failures, backoff), signal);
}
