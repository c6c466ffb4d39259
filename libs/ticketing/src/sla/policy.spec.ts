import { describe, expect, it } from '@jest/globals';
import { CALENDAR_24_7, defaultPolicy, dueAfter } from './policy.js';

describe('defaultPolicy', () => {
  it('claim 30 min, response 4 h, resolution 3 days, on the 24/7 calendar, whatever the ticket', () => {
    expect(defaultPolicy({ category: 'outage', priority: 'urgent', channel: 'email', customerTier: 'gold' })).toEqual({
      claimSeconds: 30 * 60,
      responseSeconds: 4 * 60 * 60,
      resolutionSeconds: 3 * 24 * 60 * 60,
      calendarId: CALENDAR_24_7,
    });
  });
});

describe('dueAfter (calendar time)', () => {
  it('is the start plus the target', () => {
    expect(dueAfter('2026-03-02T09:00:00.000Z', 30 * 60)).toBe('2026-03-02T09:30:00.000Z');
  });

  it('adds time already paused on hold', () => {
    expect(dueAfter('2026-03-02T09:00:00.000Z', 4 * 3600, 90 * 60_000)).toBe('2026-03-02T14:30:00.000Z');
  });

  it('counts calendar seconds: 3 days across a month end and a DST change are exactly 72 h', () => {
    expect(dueAfter('2026-03-28T22:00:00.000Z', 3 * 24 * 3600)).toBe('2026-03-31T22:00:00.000Z');
  });

  it('keeps milliseconds and writes ISO-8601 UTC', () => {
    expect(dueAfter('2026-03-02T12:00:00.123+03:00', 60)).toBe('2026-03-02T09:01:00.123Z');
  });

  it('no target (null) gives no due time', () => {
    expect(dueAfter('2026-03-02T09:00:00.000Z', null, 5000)).toBeNull();
  });
});
