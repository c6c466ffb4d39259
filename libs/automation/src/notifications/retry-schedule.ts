/** WEBHOOK_RETRY_BASE, WEBHOOK_RETRY_MAX and WEBHOOK_MAX_ATTEMPTS. */
export interface RetrySettings {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

/**
 * The wait after the `attempts`-th failed request (1-based): base·2^(attempts−1), capped at max,
 * then "equal jitter" — half fixed, half random — so receivers that failed together (one outage)
 * are not all retried in the same instant, and no wait is below half its step. `random` is in [0, 1).
 */
export function retryDelayMs(attempts: number, settings: RetrySettings, random: number): number {
  const step = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.min(attempts - 1, 52));
  return Math.round(step / 2 + (step / 2) * random);
}

/** Dead after this failure? */
export function isLastAttempt(attempts: number, settings: RetrySettings): boolean {
  return attempts >= settings.maxAttempts;
}
