import { describe, expect, it } from '@jest/globals';
import { CHANNEL_SHARES, centreArrivals, categoryShares, OPENING_HOURS_CHANNELS, pickCategory, type Arrival } from './centre-arrivals.js';
import { centreHolidays } from './contact-centre.js';
import { seededRandom } from './seeded-random.js';
import { CATEGORIES, CHANNELS } from './ticket-load.js';

const SEED = 7;
// From New Year's Day (a Thursday and a holiday) over four whole weeks.
const START = new Date('2026-01-01T00:00:00Z');
const DAYS = 28;
const TICKETS = 20_000;

/** Istanbul's wall clock by the platform's own zone data (Intl), not the model's arithmetic. */
const LOCAL = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Istanbul',
  weekday: 'short',
  hour: '2-digit',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
function local(at: number): { weekday: string; hour: number; date: string } {
  const parts = Object.fromEntries(LOCAL.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  return { weekday: parts.weekday, hour: Number(parts.hour), date: `${parts.year}-${parts.month}-${parts.day}` };
}
const HOLIDAYS = new Set(centreHolidays());
const WORKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

describe('the centre’s arrivals by hour and weekday', () => {
  console.log(`centre arrivals: seed ${SEED}, ${TICKETS} tickets over ${DAYS} days from ${START.toISOString()}`);
  const arrivals = [...centreArrivals(seededRandom(SEED), { tickets: TICKETS, start: START, days: DAYS })];

  it('given a span and a count, when drawn, then exactly that many arrive, in time order, inside the span', () => {
    expect(arrivals).toHaveLength(TICKETS);
    const times = arrivals.map((a) => a.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(START.getTime());
    expect(times.at(-1)).toBeLessThan(START.getTime() + DAYS * 86_400_000);
  });

  it('given the same seed, then the same arrivals; given another seed, then others', () => {
    const again = [...centreArrivals(seededRandom(SEED), { tickets: 500, start: START, days: 3 })];
    expect(again).toEqual([...centreArrivals(seededRandom(SEED), { tickets: 500, start: START, days: 3 })]);
    expect(again).not.toEqual([...centreArrivals(seededRandom(SEED + 1), { tickets: 500, start: START, days: 3 })]);
  });

  it('never brings a phone or store ticket outside opening hours (weekdays 08:00–18:00 in Istanbul, not on holidays)', () => {
    const outside = arrivals
      .filter((a) => OPENING_HOURS_CHANNELS.includes(a.channel))
      .map((a) => ({ ...a, local: local(a.at) }))
      .filter((a) => !WORKDAYS.includes(a.local.weekday) || a.local.hour < 8 || a.local.hour >= 18 || HOLIDAYS.has(a.local.date));
    expect(outside).toEqual([]);
    // …while e-mail, web and SMS come round the clock.
    const nightly = arrivals.filter((a) => !OPENING_HOURS_CHANNELS.includes(a.channel) && local(a.at).hour < 6);
    expect(nightly.length).toBeGreaterThan(TICKETS * 0.01);
  });

  it('peaks on weekday mornings and afternoons, is quiet at night, lighter on Saturday and lighter still on Sunday', () => {
    const count = (keep: (l: ReturnType<typeof local>) => boolean) => arrivals.filter((a: Arrival) => keep(local(a.at))).length;
    const perHour = (n: number, hours: number) => n / hours;
    const weekdays = (l: ReturnType<typeof local>) => WORKDAYS.includes(l.weekday) && !HOLIDAYS.has(l.date);
    const peak = perHour(
      count((l) => weekdays(l) && ((l.hour >= 9 && l.hour < 12) || (l.hour >= 14 && l.hour < 17))),
      6,
    );
    const night = perHour(
      count((l) => weekdays(l) && l.hour < 6),
      6,
    );
    expect(peak).toBeGreaterThan(night * 15);
    const saturday = count((l) => l.weekday === 'Sat');
    const sunday = count((l) => l.weekday === 'Sun');
    const weekday = count((l) => l.weekday === 'Wed');
    expect(saturday).toBeLessThan(weekday / 3);
    expect(sunday).toBeLessThan(saturday * 0.7);
    expect(sunday).toBeGreaterThan(0);
  });

  it('splits the channels by their shares within a few points', () => {
    for (const channel of CHANNELS) {
      const share = arrivals.filter((a) => a.channel === channel).length / TICKETS;
      expect({ channel, off: Math.abs(share - CHANNEL_SHARES[channel]) < 0.03 }).toEqual({ channel, off: true });
    }
  });
});

describe('the centre’s skewed category volumes', () => {
  it('gives each channel a Zipf-like mix: its leader about a third, the top three more than half, the last few percent', () => {
    const random = seededRandom(SEED);
    for (const channel of CHANNELS) {
      const counts = new Map<string, number>();
      for (let i = 0; i < 20_000; i++) {
        const category = pickCategory(random, channel);
        counts.set(category, (counts.get(category) ?? 0) + 1);
      }
      const sorted = [...counts.values()].sort((a, b) => b - a).map((n) => n / 20_000);
      expect({ channel, categories: counts.size }).toEqual({ channel, categories: CATEGORIES.length });
      expect({ channel, leader: sorted[0] > 0.33 && sorted[0] < 0.42 }).toEqual({ channel, leader: true });
      expect({ channel, topThree: sorted[0] + sorted[1] + sorted[2] > 0.55 }).toEqual({ channel, topThree: true });
      expect({ channel, last: sorted[sorted.length - 1] < 0.04 }).toEqual({ channel, last: true });
      // Drawn as stated: each category within a point of its expected share.
      for (const [category, expected] of Object.entries(categoryShares(channel)))
        expect({ channel, category, near: Math.abs((counts.get(category) ?? 0) / 20_000 - expected) < 0.01 }).toEqual({
          channel,
          category,
          near: true,
        });
    }
  });
});
