import { describe, expect, it } from '@jest/globals';
import { lastFullMonth } from './dashboard-bench.js';

describe('bench dashboard: the period its views show', () => {
  it('is the last calendar month that the seeded days cover to its end, as of that end', () => {
    // 365 days from 2025-01-01 end on 2026-01-01: December 2025 is the last full month.
    expect(lastFullMonth(new Date('2025-01-01T00:00:00Z'), 365)).toEqual({
      from: '2025-12-01',
      to: '2026-01-01',
      asOf: '2026-01-01T00:00:00.000Z',
    });
    // 60 days end on 2025-03-02: February.
    expect(lastFullMonth(new Date('2025-01-01T00:00:00Z'), 60)).toEqual({
      from: '2025-02-01',
      to: '2025-03-01',
      asOf: '2025-03-01T00:00:00.000Z',
    });
  });
});
