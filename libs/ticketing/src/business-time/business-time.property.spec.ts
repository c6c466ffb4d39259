import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { seededRandom } from '#workload/ticket-load.js';
import { addBusinessMs, businessMsBetween } from './business-time.js';
import { defineCalendar, WEEKDAYS, type CalendarDefinition, type WorkingHoursCalendar, type WorkingInterval } from './calendar.js';

/**
 * Properties of B and add over random calendars, instants and targets. The seed is printed;
 * BUSINESS_TIME_SEED=<n> replays a run.
 */
const SEED = Number(process.env.BUSINESS_TIME_SEED ?? 20251026);
const RUNS = 300;
console.log(`business-time properties: seed ${SEED} (BUSINESS_TIME_SEED to replay), ${RUNS} runs each`);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FROM = Date.parse('2025-01-01T00:00:00Z');
const SPAN_DAYS = 730;

// Zones with a DST gap and repeated hour (Berlin, New York), a half-hour shift (Lord Howe), DST
// at midnight (Santiago), none (Istanbul), and a half-hour offset (Kolkata).
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Europe/Istanbul', 'Asia/Kolkata'];

type Random = () => number;
const int = (random: Random, below: number) => Math.floor(random() * below);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)];
const hhmm = (quarter: number) => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;

/** 1–3 intervals on quarter hours within [lowest, highest] (quarters of the day; 96 = 24:00). */
function randomDay(random: Random, lowest: number, highest: number): WorkingInterval[] {
  const points = new Set<number>();
  const count = 2 * (1 + int(random, 3));
  while (points.size < count) points.add(lowest + int(random, highest - lowest + 1));
  const sorted = [...points].sort((x, y) => x - y);
  const intervals: WorkingInterval[] = [];
  for (let i = 0; i < sorted.length; i += 2) intervals.push([hhmm(sorted[i]), hhmm(sorted[i + 1])]);
  return intervals;
}

function randomDefinition(random: Random, zones: readonly string[], lowest = 0, highest = 96): CalendarDefinition {
  const weekly: Partial<Record<(typeof WEEKDAYS)[number], WorkingInterval[]>> = {};
  for (const day of WEEKDAYS) if (random() < 0.75) weekly[day] = randomDay(random, lowest, highest);
  weekly[pick(random, WEEKDAYS)] ??= randomDay(random, lowest, highest);
  const overrides: Record<string, WorkingInterval[]> = {};
  for (let i = int(random, 6); i > 0; i--) {
    const date = new Date(FROM + int(random, SPAN_DAYS) * DAY).toISOString().slice(0, 10);
    overrides[date] = random() < 0.4 ? [] : randomDay(random, lowest, highest);
  }
  return { zone: pick(random, zones), weekly, overrides };
}

function randomInstant(random: Random): number {
  const t = FROM + int(random, SPAN_DAYS * DAY);
  // Half on quarter hours, where openings and closings fall.
  return random() < 0.5 ? t - (t % (15 * MINUTE)) : t;
}

function randomTargetMs(random: Random): number {
  const roll = random();
  if (roll < 0.1) return 0;
  if (roll < 0.4) return int(random, 96) * 15 * MINUTE;
  if (roll < 0.9) return int(random, 21 * DAY);
  return int(random, 400 * DAY);
}

interface Run {
  run: number;
  definition: CalendarDefinition;
  calendar: WorkingHoursCalendar;
  random: Random;
}

function* runs(salt: number, zones: readonly string[] = ZONES, lowest = 0, highest = 96): Generator<Run> {
  const random = seededRandom(SEED + salt);
  for (let run = 0; run < RUNS; run++) {
    const definition = randomDefinition(random, zones, lowest, highest);
    yield { run, definition, calendar: defineCalendar(definition), random };
  }
}

const where = (r: Run, values: Record<string, number>) =>
  `seed ${SEED} run ${r.run} ${JSON.stringify(r.definition)} ${JSON.stringify(
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number.isFinite(v) && v > 1e12 ? new Date(v).toISOString() : v])),
  )}`;

describe(`business-time properties (seed ${SEED})`, () => {
  it('B(t, add(t, n)) = n, and add(t, n) is the latest such instant: one millisecond later B exceeds n', () => {
    for (const r of runs(1)) {
      const t = randomInstant(r.random);
      const n = randomTargetMs(r.random);
      const due = addBusinessMs(r.calendar, t, n);
      expect({ at: where(r, { t, n, due }), b: businessMsBetween(r.calendar, t, due) }).toEqual({ at: where(r, { t, n, due }), b: n });
      expect({ at: where(r, { t, n, due }), later: businessMsBetween(r.calendar, t, due + 1) }).toEqual({
        at: where(r, { t, n, due }),
        later: n + 1,
      });
    }
  });

  it('B is additive: B(a, c) = B(a, b) + B(b, c) for a ≤ b ≤ c', () => {
    for (const r of runs(2)) {
      const [a, b, c] = [randomInstant(r.random), randomInstant(r.random), randomInstant(r.random)].sort((x, y) => x - y);
      const whole = businessMsBetween(r.calendar, a, c);
      expect({ at: where(r, { a, b, c }), whole }).toEqual({
        at: where(r, { a, b, c }),
        whole: businessMsBetween(r.calendar, a, b) + businessMsBetween(r.calendar, b, c),
      });
    }
  });

  it('add is monotone in n: n1 ≤ n2 gives add(t, n1) ≤ add(t, n2)', () => {
    for (const r of runs(3)) {
      const t = randomInstant(r.random);
      const [n1, n2] = [randomTargetMs(r.random), randomTargetMs(r.random)].sort((x, y) => x - y);
      const [d1, d2] = [addBusinessMs(r.calendar, t, n1), addBusinessMs(r.calendar, t, n2)];
      expect({ at: where(r, { t, n1, n2, d1, d2 }), monotone: d1 <= d2 }).toEqual({ at: where(r, { t, n1, n2, d1, d2 }), monotone: true });
    }
  });

  it('B agrees with a quarter-hour walk of the local wall clock where no opening or closing falls in a DST change', () => {
    // Openings and closings between 06:00 and 22:00, in zones that change at night on quarter
    // hours: then an instant works exactly when its local time lies in its local date's intervals.
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Europe/Istanbul', 'Asia/Kolkata'];
    for (const r of runs(4, zones, 24, 88)) {
      if (r.run >= 60) break;
      const quarter = 15 * MINUTE;
      const a = randomInstant(r.random);
      const from = a - (a % quarter);
      const to = from + int(r.random, 14 * 96) * quarter;
      let walked = 0;
      for (let t = from; t < to; t += quarter) if (worksAt(r.definition, t)) walked += quarter;
      expect({ at: where(r, { from, to }), b: businessMsBetween(r.calendar, from, to) }).toEqual({ at: where(r, { from, to }), b: walked });
    }
  });
});

/** Independent of the module: the local date and time of the instant, looked up in the definition. */
function worksAt(definition: CalendarDefinition, instant: number): boolean {
  const local = DateTime.fromMillis(instant, { zone: definition.zone });
  const date = local.toISODate() ?? '';
  const intervals = definition.overrides?.[date] ?? definition.weekly[WEEKDAYS[local.weekday - 1]] ?? [];
  const time = local.toFormat('HH:mm');
  return intervals.some(([from, to]) => from <= time && time < to);
}
