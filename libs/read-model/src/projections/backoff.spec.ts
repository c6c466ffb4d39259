import { describe, expect, it } from '@jest/globals';
import { backoffMs } from './backoff.js';

describe('back-off after failures in a row', () => {
  it('doubles from the first wait up to the longest', () => {
    const waits = Array.from({ length: 10 }, (_, failures) => backoffMs(failures, { initialMs: 250, maxMs: 30_000 }));
    expect(waits).toEqual([250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('stays at the longest wait however long the outage', () => {
    expect(backoffMs(1_000_000, { initialMs: 1, maxMs: 2_000_000 })).toBe(2 ** 20);
    expect(backoffMs(1_000_000, { initialMs: 250, maxMs: 30_000 })).toBe(30_000);
  });
});
