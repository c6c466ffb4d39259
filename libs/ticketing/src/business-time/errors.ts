import { DomainError } from '../ticket/errors.js';

/**
 * Why a calendar definition or a business-time question is refused. `path` names the spot in
 * the definition (`weekly.mon[1]`, `overrides.2026-12-24[0]`), so an admin sees what to fix.
 */
export const CalendarErrors = {
  invalidShape: (path: string, expected: string) =>
    new DomainError('CALENDAR_INVALID_SHAPE', `${path} must be ${expected}.`, 'rule', { path }),
  invalidZone: (zone: string) =>
    new DomainError('CALENDAR_INVALID_ZONE', `"${zone}" is not an IANA time zone (e.g. Europe/Istanbul).`, 'rule', { path: 'zone', zone }),
  invalidWeekday: (weekday: string) =>
    new DomainError('CALENDAR_INVALID_WEEKDAY', `weekly.${weekday}: the weekdays are mon, tue, wed, thu, fri, sat, sun.`, 'rule', {
      path: `weekly.${weekday}`,
      weekday,
    }),
  invalidDate: (date: string) =>
    new DomainError('CALENDAR_INVALID_DATE', `overrides.${date}: a date override is keyed by a calendar date YYYY-MM-DD.`, 'rule', {
      path: `overrides.${date}`,
      date,
    }),
  invalidTime: (path: string, time: string, end: boolean) =>
    new DomainError(
      'CALENDAR_INVALID_TIME',
      `${path}: "${time}" is not a wall-clock time HH:MM from 00:00 to ${end ? '24:00' : '23:59'}` +
        (end ? '.' : ' (24:00 may only end an interval).'),
      'rule',
      { path, time },
    ),
  invalidInterval: (path: string, from: string, to: string) =>
    new DomainError('CALENDAR_INVALID_INTERVAL', `${path}: an interval [${from}, ${to}) must start before it ends.`, 'rule', {
      path,
      from,
      to,
    }),
  overlappingIntervals: (path: string, first: readonly [string, string], second: readonly [string, string]) =>
    new DomainError(
      'CALENDAR_OVERLAPPING_INTERVALS',
      `${path}: [${first[0]}, ${first[1]}) and [${second[0]}, ${second[1]}) overlap; a night shift is two intervals on two days.`,
      'rule',
      { path, first, second },
    ),
  noWorkingTime: () =>
    new DomainError(
      'CALENDAR_NO_WORKING_TIME',
      'weekly: a calendar needs working hours on at least one weekday, or no due time could ever be reached.',
      'rule',
      { path: 'weekly' },
    ),
  invalidInstant: (field: string, value: string) =>
    new DomainError('BUSINESS_TIME_INVALID_INSTANT', `${field}: "${value}" is not an instant (ISO-8601 with Z or an offset).`, 'rule', {
      field,
      value,
    }),
  invalidSeconds: (field: string, value: number) =>
    new DomainError('BUSINESS_TIME_INVALID_SECONDS', `${field}: ${value} is not a number of seconds ≥ 0.`, 'rule', { field, value }),
} as const;
