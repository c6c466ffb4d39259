/**
 * The period picker's arithmetic, on local calendar dates (YYYY-MM-DD): the API reads a date
 * as its local midnight in the reporting zone, so no zone arithmetic happens here.
 */
export type Preset = 'day' | 'week' | 'month' | 'custom';
export const PRESETS: readonly Preset[] = ['day', 'week', 'month', 'custom'];
export type ReportTime = 'calendar' | 'business';

export interface Period {
  preset: Preset;
  /** inclusive local date */
  from: string;
  /** exclusive local date */
  to: string;
}

function toDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = toDate(day);
  date.setUTCDate(date.getUTCDate() + days);
  return toDay(date);
}

function addMonths(day: string, months: number): string {
  const date = toDate(day);
  date.setUTCMonth(date.getUTCMonth() + months, 1);
  return toDay(date);
}

/** The local date of an instant in a zone. */
export function localDay(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/** The day, week (Monday first) or month that holds `day`. */
export function presetPeriod(preset: Exclude<Preset, 'custom'>, day: string): Period {
  switch (preset) {
    case 'day':
      return { preset, from: day, to: addDays(day, 1) };
    case 'week': {
      const monday = addDays(day, -((toDate(day).getUTCDay() + 6) % 7));
      return { preset, from: monday, to: addDays(monday, 7) };
    }
    case 'month': {
      const first = `${day.slice(0, 8)}01`;
      return { preset, from: first, to: addMonths(first, 1) };
    }
  }
}

/** The period just before: the previous day, week or month; for a custom period as many days before. */
export function previousPeriod(period: Period): Period {
  switch (period.preset) {
    case 'day':
    case 'week':
      return presetPeriod(period.preset, addDays(period.from, -1));
    case 'month':
      return { preset: 'month', from: addMonths(period.from, -1), to: period.from };
    case 'custom': {
      const days = Math.round((toDate(period.to).getTime() - toDate(period.from).getTime()) / 86_400_000);
      return { preset: 'custom', from: addDays(period.from, -days), to: period.from };
    }
  }
}

export function isDay(value: string | null): value is string {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(toDate(value).getTime());
}
