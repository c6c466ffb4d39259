import { IANAZone } from 'luxon';
import { CalendarErrors } from './errors.js';
import { DAY_MS, MINUTE_MS, epochDayOf } from './wall-clock.js';

/**
 * A business calendar (KPIS.md "Business time"): an IANA zone, working intervals [from, to) in
 * local wall-clock time per weekday, and date overrides that replace a weekday's list for one
 * local date ([] = a holiday, a shorter list = a half day, a list on a closed day = an extra
 * working day). The definition is plain data (JSON/YAML, events); `defineCalendar` validates
 * it into a `BusinessCalendar` the arithmetic runs on.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock `HH:MM` times; `24:00` may end an interval (the next day's 00:00). */
export type WorkingInterval = readonly [from: string, to: string];

export interface CalendarDefinition {
  zone: string;
  /** A weekday left out is closed. */
  weekly: Readonly<Partial<Record<Weekday, readonly WorkingInterval[]>>>;
  /** Local date `YYYY-MM-DD` → its own intervals. */
  overrides?: Readonly<Record<string, readonly WorkingInterval[]>>;
}

/** Minutes since local midnight, [from, to), to ≤ 1440. */
export type MinuteInterval = readonly [from: number, to: number];

/** Every instant is working time: add(t, n) = t + n (the default, and "calendar time"). */
export interface AlwaysOpenCalendar {
  readonly kind: 'always-open';
}

export interface WorkingHoursCalendar {
  readonly kind: 'working-hours';
  readonly definition: CalendarDefinition;
  readonly zone: IANAZone;
  /** Index 0 = Monday, sorted by start. */
  readonly weekly: readonly (readonly MinuteInterval[])[];
  /** Epoch day of the local date → its intervals, sorted by start. */
  readonly overrides: ReadonlyMap<number, readonly MinuteInterval[]>;
  /** Working milliseconds of a week with no override and no offset change. */
  readonly regularWeekMs: number;
  /** Memo of the days and weeks already converted to instants (pure: a function of the definition). */
  readonly memo: CalendarMemo;
}

export interface CalendarMemo {
  readonly days: Map<number, readonly (readonly [number, number])[]>;
  readonly weeks: Map<number, { start: number; end: number } | null>;
}

export type BusinessCalendar = AlwaysOpenCalendar | WorkingHoursCalendar;

export const ALWAYS_OPEN: AlwaysOpenCalendar = Object.freeze({ kind: 'always-open' });

const TIME = /^(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Validates a definition (CALENDAR_* errors, nothing half-built) and prepares it for the arithmetic. */
export function defineCalendar(definition: CalendarDefinition): WorkingHoursCalendar {
  if (!isRecord(definition)) throw CalendarErrors.invalidShape('calendar', 'an object {zone, weekly, overrides}');
  const { zone, weekly, overrides = {} } = definition;
  if (typeof zone !== 'string') throw CalendarErrors.invalidShape('zone', 'an IANA time zone name');
  if (!IANAZone.isValidZone(zone)) throw CalendarErrors.invalidZone(zone);
  if (!isRecord(weekly)) throw CalendarErrors.invalidShape('weekly', 'an object of weekdays (mon … sun)');
  if (!isRecord(overrides)) throw CalendarErrors.invalidShape('overrides', 'an object of dates (YYYY-MM-DD)');

  for (const key of Object.keys(weekly)) if (!(WEEKDAYS as readonly string[]).includes(key)) throw CalendarErrors.invalidWeekday(key);
  const weeklyMinutes = WEEKDAYS.map((day) => parseDay(`weekly.${day}`, weekly[day] ?? []));
  const regularWeekMs = weeklyMinutes.flat().reduce((sum, [from, to]) => sum + (to - from) * MINUTE_MS, 0);
  if (regularWeekMs === 0) throw CalendarErrors.noWorkingTime();

  const overrideMinutes = new Map<number, readonly MinuteInterval[]>();
  for (const [date, intervals] of Object.entries(overrides)) {
    const day = parseDate(date);
    overrideMinutes.set(day, parseDay(`overrides.${date}`, intervals));
  }

  return {
    kind: 'working-hours',
    definition,
    zone: IANAZone.create(zone),
    weekly: weeklyMinutes,
    overrides: overrideMinutes,
    regularWeekMs,
    memo: { days: new Map(), weeks: new Map() },
  };
}

function parseDay(path: string, intervals: unknown): MinuteInterval[] {
  if (!Array.isArray(intervals)) throw CalendarErrors.invalidShape(path, 'a list of [from, to] intervals');
  const parsed = intervals.map((interval: unknown, index) => {
    const at = `${path}[${index}]`;
    if (!Array.isArray(interval) || interval.length !== 2 || typeof interval[0] !== 'string' || typeof interval[1] !== 'string') {
      throw CalendarErrors.invalidShape(at, 'a pair of times ["HH:MM", "HH:MM"]');
    }
    const [fromText, toText] = interval as [string, string];
    const from = parseTime(at, fromText, false);
    const to = parseTime(at, toText, true);
    if (from >= to) throw CalendarErrors.invalidInterval(at, fromText, toText);
    return { from, to, text: [fromText, toText] as const };
  });
  const sorted = [...parsed].sort((x, y) => x.from - y.from);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].from < sorted[i - 1].to) throw CalendarErrors.overlappingIntervals(path, sorted[i - 1].text, sorted[i].text);
  }
  return sorted.map(({ from, to }) => [from, to] as const);
}

function parseTime(path: string, text: string, end: boolean): number {
  const match = TIME.exec(text);
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  const total = hours * 60 + minutes;
  const valid = hours <= 24 && minutes <= 59 && total <= 24 * 60 && (end || total < 24 * 60);
  if (!valid) throw CalendarErrors.invalidTime(path, text, end);
  return total;
}

function parseDate(text: string): number {
  const match = DATE.exec(text);
  if (!match) throw CalendarErrors.invalidDate(text);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const epochDay = epochDayOf(year, month, day);
  // Date.UTC rolls 2026-02-30 over into March: a date that does not round-trip does not exist.
  const back = new Date(epochDay * DAY_MS);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() + 1 !== month || back.getUTCDate() !== day)
    throw CalendarErrors.invalidDate(text);
  return epochDay;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
