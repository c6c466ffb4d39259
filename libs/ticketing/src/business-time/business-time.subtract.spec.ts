import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '#workload/ticket-load.js';
import { OFFICE_BERLIN } from '../testing/calendars.js';
import { businessMsBetween, subtractBusinessMs } from './business-time.js';
import { ALWAYS_OPEN, defineCalendar } from './calendar.js';

/**
 * subtract(end, n), the instant a breach warning falls on. Hand-computed cases (Berlin office
 * 09–12 and 13–17 on weekdays, CEST = UTC+2 in June 2025), then a seeded property: B(subtract(end, n), end) = n.
 */
const office = defineCalendar(OFFICE_BERLIN);
const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('subtractBusinessMs', () => {
  it('in calendar time is plain subtraction', () => {
    expect(iso(subtractBusinessMs(ALWAYS_OPEN, at('2025-06-16T08:00:00.000Z'), 2 * HOUR))).toBe('2025-06-16T06:00:00.000Z');
  });

  it('goes back over a weekend: Mon 10:00 CEST less 2 h is Fri 16:00 CEST', () => {
    expect(iso(subtractBusinessMs(office, at('2025-06-16T08:00:00.000Z'), 2 * HOUR))).toBe('2025-06-13T14:00:00.000Z');
  });

  it('goes back over a lunch break: Tue 13:30 CEST less 1 h is 11:30 CEST', () => {
    expect(iso(subtractBusinessMs(office, at('2025-06-17T11:30:00.000Z'), HOUR))).toBe('2025-06-17T09:30:00.000Z');
  });

  it('lands on the next opening when the instant falls in closed time: Mon 09:30 CEST less 30 min is Mon 09:00, not Fri 17:00', () => {
    expect(iso(subtractBusinessMs(office, at('2025-06-16T07:30:00.000Z'), HOUR / 2))).toBe('2025-06-16T07:00:00.000Z');
  });

  it('less nothing is the instant itself', () => {
    expect(iso(subtractBusinessMs(office, at('2025-06-14T10:00:00.000Z'), 0))).toBe('2025-06-14T10:00:00.000Z');
  });

  it('gives B(subtract(end, n), end) = n over random ends and amounts (seeded)', () => {
    const seed = Number(process.env.BUSINESS_TIME_SEED ?? 20251207);
    console.log(`subtractBusinessMs property: seed ${seed} (BUSINESS_TIME_SEED to replay)`);
    const random = seededRandom(seed);
    for (let run = 0; run < 200; run++) {
      const end = at('2025-01-06T00:00:00.000Z') + Math.floor(random() * 300 * 24) * 15 * 60_000;
      const amount = Math.floor(random() * 80 * HOUR);
      const start = subtractBusinessMs(office, end, amount);
      expect(businessMsBetween(office, start, end)).toBe(amount);
      // The latest such instant: a millisecond later holds less working time.
      if (amount > 0) expect(businessMsBetween(office, start + 1, end)).toBeLessThan(amount);
    }
  });
});
