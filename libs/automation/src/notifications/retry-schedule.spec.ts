import { describe, expect, it } from '@jest/globals';
import { isLastAttempt, retryDelayMs } from './retry-schedule.js';

const SETTINGS = { baseMs: 1000, maxMs: 600_000, maxAttempts: 8 };

describe('the webhook retry schedule', () => {
  it('doubles from the base after each failure, between half the step and the step', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, SETTINGS, 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, SETTINGS, 0.999999))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits longer than the cap, however many failures', () => {
    expect(retryDelayMs(11, SETTINGS, 0.999999)).toBe(600_000);
    expect(retryDelayMs(2000, SETTINGS, 0.5)).toBe(450_000);
  });

  it('is dead after the last allowed attempt', () => {
    expect(isLastAttempt(7, SETTINGS)).toBe(false);
    expect(isLastAttempt(8, SETTINGS)).toBe(true);
  });
});
