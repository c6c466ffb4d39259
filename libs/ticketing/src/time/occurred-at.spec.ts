import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../ticket/errors.js';
import { CLOCK_SKEW_MS, resolveOccurredAt } from './occurred-at.js';

const now = new Date('2026-03-02T09:00:00.000Z');
const offset = (ms: number) => new Date(now.getTime() + ms).toISOString();

function rejection(run: () => unknown): { code: string; kind: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, kind: error.kind };
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('resolveOccurredAt', () => {
  it('without a requested instant the command happens now', () => {
    expect(resolveOccurredAt(undefined, now, false)).toBe('2026-03-02T09:00:00.000Z');
  });

  it('accepts an instant within the clock skew on either side, for any caller', () => {
    expect(resolveOccurredAt(offset(CLOCK_SKEW_MS), now, false)).toBe(offset(CLOCK_SKEW_MS));
    expect(resolveOccurredAt(offset(-CLOCK_SKEW_MS), now, false)).toBe(offset(-CLOCK_SKEW_MS));
  });

  it('normalises the instant to ISO-8601 UTC with milliseconds', () => {
    expect(resolveOccurredAt('2026-03-02T11:58:00+03:00', now, false)).toBe('2026-03-02T08:58:00.000Z');
  });

  it('rejects an instant further in the future than the skew: OCCURRED_AT_IN_FUTURE', () => {
    expect(rejection(() => resolveOccurredAt(offset(CLOCK_SKEW_MS + 1), now, false))).toEqual({ code: 'OCCURRED_AT_IN_FUTURE', kind: 'rule' });
  });

  it('rejects the future even for callers who may backdate', () => {
    expect(rejection(() => resolveOccurredAt(offset(CLOCK_SKEW_MS + 1), now, true))).toEqual({ code: 'OCCURRED_AT_IN_FUTURE', kind: 'rule' });
  });

  it('rejects an instant further back than the skew from a caller who may not backdate: BACKDATING_NOT_ALLOWED (forbidden)', () => {
    expect(rejection(() => resolveOccurredAt(offset(-CLOCK_SKEW_MS - 1), now, false))).toEqual({ code: 'BACKDATING_NOT_ALLOWED', kind: 'forbidden' });
  });

  it('importers and admins may backdate any distance', () => {
    expect(resolveOccurredAt('2024-01-01T00:00:00.000Z', now, true)).toBe('2024-01-01T00:00:00.000Z');
  });

  it('rejects a string that is not an instant: INVALID_OCCURRED_AT', () => {
    expect(rejection(() => resolveOccurredAt('yesterday', now, true))).toEqual({ code: 'INVALID_OCCURRED_AT', kind: 'rule' });
  });
});
