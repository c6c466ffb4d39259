import { isInstant } from '../time/occurred-at.js';
import type { BusinessCalendar, WorkingHoursCalendar } from './calendar.js';
import { CalendarErrors } from './errors.js';
import { DAY_MS, MINUTE_MS, localEpochDay, steadyOffset, wallToInstant, weekdayIndex } from './wall-clock.js';

/**
 * Business-time arithmetic (KPIS.md "Business time"). B(a, b) is the length of [a, b) ∩ working
 * time; add(t, n) is the latest instant d with B(t, d) = n, so a target that runs out at a
 * closing time is due at the next opening, and add(t, 0) outside hours is the next opening.
 *
 * Working time is walked day by day in instants (each local date's intervals converted with
 * the zone's offsets), except that a whole local week (Monday to Monday) with no override and
 * one offset throughout is taken in one step as `regularWeekMs`: a span of a year costs about
 * 52 weeks, not 365 days nor 525,600 minutes.
 */

/** B(from, to) in milliseconds; 0 when to ≤ from. */
export function businessMsBetween(calendar: BusinessCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  if (calendar.kind === 'always-open') return to - from;
  let total = 0;
  let cursor = from;
  const lastDay = localEpochDay(calendar.zone, to);
  for (let day = localEpochDay(calendar.zone, from) - 1; day <= lastDay; day++) {
    const week = weekdayIndex(day) === 0 && day + 7 <= lastDay ? regularWeek(calendar, day) : null;
    if (week && week.start >= cursor && week.end <= to) {
      total += calendar.regularWeekMs;
      cursor = week.end;
      day += 6;
      continue;
    }
    for (const [start, end] of dayIntervals(calendar, day)) {
      const clippedStart = Math.max(start, cursor);
      const clippedEnd = Math.min(end, to);
      if (clippedEnd <= clippedStart) continue;
      total += clippedEnd - clippedStart;
      cursor = clippedEnd;
    }
  }
  return total;
}

/** add(start, ms): the latest instant d with B(start, d) = ms. */
export function addBusinessMs(calendar: BusinessCalendar, start: number, ms: number): number {
  if (calendar.kind === 'always-open') return start + ms;
  let remaining = ms;
  let cursor = start;
  // Ends because a week without overrides has working time (defineCalendar refuses an empty week).
  for (let day = localEpochDay(calendar.zone, start) - 1; ; day++) {
    // Strictly more than a week left: the answer lies beyond this week, whatever its last interval.
    const week = weekdayIndex(day) === 0 && remaining > calendar.regularWeekMs ? regularWeek(calendar, day) : null;
    if (week && week.start >= cursor) {
      remaining -= calendar.regularWeekMs;
      cursor = week.end;
      day += 6;
      continue;
    }
    for (const [intervalStart, end] of dayIntervals(calendar, day)) {
      const from = Math.max(intervalStart, cursor);
      if (end <= from) continue;
      if (remaining < end - from) return from + remaining;
      remaining -= end - from;
      cursor = end;
      // Used up exactly at a closing time: B stays n until working time resumes, so the latest
      // such instant is the next opening (or this very instant, when the next interval is adjacent).
      if (remaining === 0) return addBusinessMs(calendar, end, 0);
    }
  }
}

/**
 * subtract(end, ms): the latest instant w ≤ end with B(w, end) = ms — the mirror of add, so an
 * instant that falls in closed time is the next opening (a breach warning at 75% of a target).
 * B(w, end) is continuous and non-increasing in w, so a binary search over milliseconds finds it;
 * the lower bound doubles back from end until it holds enough working time.
 */
export function subtractBusinessMs(calendar: BusinessCalendar, end: number, ms: number): number {
  if (calendar.kind === 'always-open' || ms <= 0) return end - Math.max(ms, 0);
  let span = ms;
  while (businessMsBetween(calendar, end - span, end) < ms) span *= 2;
  // Invariant: B(low, end) ≥ ms and B(high + 1, end) < ms; the answer is the largest such low.
  let low = end - span;
  let high = end - ms;
  while (low < high) {
    const mid = low + Math.ceil((high - low) / 2);
    if (businessMsBetween(calendar, mid, end) >= ms) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** B(from, to) in seconds (milliseconds as the fraction); instants are ISO-8601 strings. */
export function businessSecondsBetween(calendar: BusinessCalendar, from: string, to: string): number {
  return businessMsBetween(calendar, parseInstant('from', from), parseInstant('to', to)) / 1000;
}

/** The due instant of a clock started at `start` with a target of `seconds` business seconds (ISO-8601, UTC, milliseconds). */
export function addBusinessSeconds(calendar: BusinessCalendar, start: string, seconds: number): string {
  return new Date(addBusinessMs(calendar, parseInstant('start', start), secondsToMs('seconds', seconds))).toISOString();
}

export function parseInstant(field: string, text: string): number {
  if (typeof text !== 'string' || !isInstant(text)) throw CalendarErrors.invalidInstant(field, String(text));
  return Date.parse(text);
}

export function secondsToMs(field: string, seconds: number): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) throw CalendarErrors.invalidSeconds(field, seconds);
  return Math.round(seconds * 1000);
}

const MEMO_LIMIT = 4096;

/** A local date's working intervals as instants [start, end), sorted, empty ones (lost in a DST gap) dropped. */
function dayIntervals(calendar: WorkingHoursCalendar, day: number): readonly (readonly [number, number])[] {
  const memo = calendar.memo.days.get(day);
  if (memo) return memo;
  const minutes = calendar.overrides.get(day) ?? calendar.weekly[weekdayIndex(day)];
  const intervals = minutes
    .map(([from, to]) => [toInstant(calendar, day, from), toInstant(calendar, day, to)] as const)
    .filter(([start, end]) => end > start)
    .sort((x, y) => x[0] - y[0]);
  remember(calendar.memo.days, day, intervals);
  return intervals;
}

function toInstant(calendar: WorkingHoursCalendar, day: number, minutes: number): number {
  return wallToInstant(calendar.zone, day * DAY_MS + minutes * MINUTE_MS);
}

/**
 * The instants [start, end) of the local week from Monday `monday` if it is regular — no
 * override on any of its dates and one offset at each of its eight midnights — else null. In a
 * regular week every interval is its wall-clock length, so its working time is regularWeekMs.
 * (The tz database has no zone that changes its offset and back within one day.)
 */
function regularWeek(calendar: WorkingHoursCalendar, monday: number): { start: number; end: number } | null {
  const memo = calendar.memo.weeks.get(monday);
  if (memo !== undefined) return memo;
  let week: { start: number; end: number } | null = null;
  let overridden = false;
  for (let day = monday; day < monday + 7; day++) overridden ||= calendar.overrides.has(day);
  if (!overridden) {
    const start = toInstant(calendar, monday, 0);
    if (steadyOffset(calendar.zone, start, 7) !== null) week = { start, end: start + 7 * DAY_MS };
  }
  remember(calendar.memo.weeks, monday, week);
  return week;
}

function remember<V>(memo: Map<number, V>, key: number, value: V): void {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
}
