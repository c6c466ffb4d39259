import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../ticket/errors.js';
import { DEFAULT_TIME_POLICY, isInstant, resolveOccurredAt, stampOccurredAt, type TimePolicy } from './occurred-at.js';

const now = new Date('2026-03-02T09:00:00.000Z');
const offset = (ms: number) => new Date(now.getTime() + ms).toISOString();
const policy: TimePolicy = { clockSkewMs: 5_000, backdateWindowMs: 5 * 60_000, earliest: new Date('2000-01-01T00:00:00Z') };
const { clockSkewMs, backdateWindowMs } = policy;

function rejection(run: () => unknown): { code: string; kind: string; details: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, kind: error.kind, details: error.details };
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('isInstant', () => {
  it('accepts a date-time with Z or a UTC offset', () => {
    for (const text of ['2026-03-02T09:00:00Z', '2026-03-02T09:00:00.123Z', '2026-03-02T12:00:00+03:00', '2026-03-02T04:00-0500'])
      expect(isInstant(text)).toBe(true);
  });

  it('refuses a local date-time, a date, and what is no instant at all', () => {
    for (const text of ['2026-03-02T09:00:00', '2026-03-02', 'yesterday', '2026-13-02T09:00:00Z', '']) expect(isInstant(text)).toBe(false);
  });
});

describe('resolveOccurredAt', () => {
  it('without a requested instant the command happens now', () => {
    expect(resolveOccurredAt(undefined, now, false, policy)).toBe('2026-03-02T09:00:00.000Z');
  });

  it('accepts an instant up to the clock skew ahead and the backdating window back, for any caller', () => {
    expect(resolveOccurredAt(offset(clockSkewMs), now, false, policy)).toBe(offset(clockSkewMs));
    expect(resolveOccurredAt(offset(-backdateWindowMs), now, false, policy)).toBe(offset(-backdateWindowMs));
  });

  it('normalises the instant to ISO-8601 UTC with milliseconds', () => {
    expect(resolveOccurredAt('2026-03-02T11:58:00+03:00', now, false, policy)).toBe('2026-03-02T08:58:00.000Z');
  });

  it('rejects an instant further ahead than the skew, also from callers who may backdate: OCCURRED_AT_IN_FUTURE', () => {
    expect(rejection(() => resolveOccurredAt(offset(clockSkewMs + 1), now, false, policy))).toMatchObject({
      code: 'OCCURRED_AT_IN_FUTURE',
      kind: 'rule',
    });
    expect(rejection(() => resolveOccurredAt(offset(clockSkewMs + 1), now, true, policy))).toMatchObject({
      code: 'OCCURRED_AT_IN_FUTURE',
      kind: 'rule',
    });
  });

  it('the skew is a setting: with 0 not even a millisecond ahead passes', () => {
    expect(rejection(() => resolveOccurredAt(offset(1), now, true, { ...policy, clockSkewMs: 0 }))).toMatchObject({
      code: 'OCCURRED_AT_IN_FUTURE',
    });
  });

  it('rejects an instant further back than the window from a caller who may not backdate: BACKDATING_NOT_ALLOWED (forbidden)', () => {
    expect(rejection(() => resolveOccurredAt(offset(-backdateWindowMs - 1), now, false, policy))).toMatchObject({
      code: 'BACKDATING_NOT_ALLOWED',
      kind: 'forbidden',
    });
  });

  it('importers and admins may backdate any distance down to the earliest instant, not before it: OCCURRED_AT_TOO_EARLY', () => {
    expect(resolveOccurredAt('2000-01-01T00:00:00.000Z', now, true, policy)).toBe('2000-01-01T00:00:00.000Z');
    expect(rejection(() => resolveOccurredAt('1999-12-31T23:59:59.999Z', now, true, policy))).toMatchObject({
      code: 'OCCURRED_AT_TOO_EARLY',
      kind: 'rule',
    });
    expect(rejection(() => resolveOccurredAt('1901-01-01T00:00:00Z', now, true, DEFAULT_TIME_POLICY))).toMatchObject({
      code: 'OCCURRED_AT_TOO_EARLY',
    });
  });

  it('rejects a string that is not an instant, and a local time without an offset: INVALID_OCCURRED_AT', () => {
    expect(rejection(() => resolveOccurredAt('yesterday', now, true, policy))).toMatchObject({ code: 'INVALID_OCCURRED_AT', kind: 'rule' });
    expect(rejection(() => resolveOccurredAt('2026-03-02T08:00:00', now, true, policy))).toMatchObject({ code: 'INVALID_OCCURRED_AT' });
  });
});

describe('stampOccurredAt', () => {
  it('is now when the ticket is new or its last event is not after now', () => {
    expect(stampOccurredAt(now, undefined, policy)).toBe(now.toISOString());
    expect(stampOccurredAt(now, offset(-1), policy)).toBe(now.toISOString());
  });

  it('is the last event’s instant when that is ahead of the clock within the skew: a ticket’s time never runs backwards', () => {
    expect(stampOccurredAt(now, offset(1_500), policy)).toBe(offset(1_500));
    expect(stampOccurredAt(now, offset(clockSkewMs), policy)).toBe(offset(clockSkewMs));
  });

  it('never stamps beyond the clock plus the skew: TICKET_AHEAD_OF_CLOCK (503) with the seconds to wait', () => {
    expect(rejection(() => stampOccurredAt(now, offset(clockSkewMs + 3_000), policy))).toEqual({
      code: 'TICKET_AHEAD_OF_CLOCK',
      kind: 'unavailable',
      details: { lastOccurredAt: offset(clockSkewMs + 3_000), now: now.toISOString(), retryAfterSeconds: 3 },
    });
  });
});
