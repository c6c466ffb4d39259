import { describe, expect, it } from '@jest/globals';
import { DomainError, type DomainErrorCode } from '../ticket/errors.js';
import { OFFICE_BERLIN } from '../testing/calendars.js';
import { addBusinessSeconds, businessSecondsBetween } from './business-time.js';
import { ALWAYS_OPEN, defineCalendar, type CalendarDefinition } from './calendar.js';

function rejection(run: () => unknown): { code: DomainErrorCode; kind: string; message: string; details: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, kind: error.kind, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a DomainError');
}

const weekdays = { mon: [['09:00', '17:00']] } as const;
/** A definition as JSON would give it: the shape is not guaranteed by the compiler. */
const untyped = (value: unknown) => value as CalendarDefinition;

describe('defineCalendar', () => {
  it('given a valid definition, then it is accepted with its weekly working time', () => {
    // 5 days × (3 h + 4 h) = 35 h.
    expect(defineCalendar(OFFICE_BERLIN).regularWeekMs).toBe(35 * 3600 * 1000);
  });

  it('given 24:00 ending an interval and intervals that touch, then it is accepted', () => {
    // 00:00–06:00 + 06:00–24:00 = 24 h on Mondays.
    const calendar = defineCalendar({
      zone: 'UTC',
      weekly: {
        mon: [
          ['06:00', '24:00'],
          ['00:00', '06:00'],
        ],
      },
    });
    expect(calendar.regularWeekMs).toBe(24 * 3600 * 1000);
  });

  it.each<[string, unknown, DomainErrorCode, Record<string, unknown>]>([
    ['an unknown zone', { zone: 'Europe/Atlantis', weekly: weekdays }, 'CALENDAR_INVALID_ZONE', { zone: 'Europe/Atlantis' }],
    ['a fixed offset written as a zone name typo', { zone: 'GMT+25', weekly: weekdays }, 'CALENDAR_INVALID_ZONE', { zone: 'GMT+25' }],
    ['no zone', { weekly: weekdays }, 'CALENDAR_INVALID_SHAPE', { path: 'zone' }],
    ['not an object', [], 'CALENDAR_INVALID_SHAPE', { path: 'calendar' }],
    ['weekly as a list', { zone: 'UTC', weekly: [] }, 'CALENDAR_INVALID_SHAPE', { path: 'weekly' }],
    ['a misspelt weekday', { zone: 'UTC', weekly: { monday: [['09:00', '17:00']] } }, 'CALENDAR_INVALID_WEEKDAY', { weekday: 'monday' }],
    ['a day that is not a list', { zone: 'UTC', weekly: { mon: '09:00-17:00' } }, 'CALENDAR_INVALID_SHAPE', { path: 'weekly.mon' }],
    [
      'an interval of three times',
      { zone: 'UTC', weekly: { mon: [['09:00', '12:00', '17:00']] } },
      'CALENDAR_INVALID_SHAPE',
      { path: 'weekly.mon[0]' },
    ],
    [
      'a time without minutes',
      { zone: 'UTC', weekly: { mon: [['9', '17:00']] } },
      'CALENDAR_INVALID_TIME',
      { path: 'weekly.mon[0]', time: '9' },
    ],
    ['minute 60', { zone: 'UTC', weekly: { mon: [['09:60', '17:00']] } }, 'CALENDAR_INVALID_TIME', { time: '09:60' }],
    ['hour 25', { zone: 'UTC', weekly: { mon: [['09:00', '25:00']] } }, 'CALENDAR_INVALID_TIME', { time: '25:00' }],
    ['24:30 as an end', { zone: 'UTC', weekly: { mon: [['09:00', '24:30']] } }, 'CALENDAR_INVALID_TIME', { time: '24:30' }],
    ['24:00 as a start', { zone: 'UTC', weekly: { mon: [['24:00', '24:00']] } }, 'CALENDAR_INVALID_TIME', { time: '24:00' }],
    ['from after to', { zone: 'UTC', weekly: { tue: [['17:00', '09:00']] } }, 'CALENDAR_INVALID_INTERVAL', { path: 'weekly.tue[0]' }],
    [
      'an empty interval',
      { zone: 'UTC', weekly: { tue: [['09:00', '09:00']] } },
      'CALENDAR_INVALID_INTERVAL',
      { from: '09:00', to: '09:00' },
    ],
    [
      'a night shift as one interval',
      { zone: 'UTC', weekly: { fri: [['22:00', '06:00']] } },
      'CALENDAR_INVALID_INTERVAL',
      { path: 'weekly.fri[0]' },
    ],
    [
      'overlapping intervals, listed out of order',
      {
        zone: 'UTC',
        weekly: {
          wed: [
            ['13:00', '17:00'],
            ['09:00', '13:30'],
          ],
        },
      },
      'CALENDAR_OVERLAPPING_INTERVALS',
      { path: 'weekly.wed', first: ['09:00', '13:30'], second: ['13:00', '17:00'] },
    ],
    ['no working hours in the week', { zone: 'UTC', weekly: { sat: [] } }, 'CALENDAR_NO_WORKING_TIME', { path: 'weekly' }],
    [
      'a week closed but for overrides',
      { zone: 'UTC', weekly: {}, overrides: { '2025-05-03': [['09:00', '12:00']] } },
      'CALENDAR_NO_WORKING_TIME',
      { path: 'weekly' },
    ],
    ['overrides as a list', { zone: 'UTC', weekly: weekdays, overrides: [] }, 'CALENDAR_INVALID_SHAPE', { path: 'overrides' }],
    [
      'an override on 30 February',
      { zone: 'UTC', weekly: weekdays, overrides: { '2025-02-30': [] } },
      'CALENDAR_INVALID_DATE',
      { date: '2025-02-30' },
    ],
    [
      'an override keyed by a local date-time',
      { zone: 'UTC', weekly: weekdays, overrides: { '2025-05-01T00:00': [] } },
      'CALENDAR_INVALID_DATE',
      {},
    ],
    [
      'an override with overlapping intervals',
      {
        zone: 'UTC',
        weekly: weekdays,
        overrides: {
          '2025-12-24': [
            ['09:00', '12:00'],
            ['11:00', '13:00'],
          ],
        },
      },
      'CALENDAR_OVERLAPPING_INTERVALS',
      { path: 'overrides.2025-12-24' },
    ],
  ])('given %s, then it is refused', (_name, definition, code, details) => {
    const refused = rejection(() => defineCalendar(untyped(definition)));
    expect(refused).toMatchObject({ code, kind: 'rule', details });
    expect(refused.message.length).toBeGreaterThan(0);
  });
});

describe('business-time arguments', () => {
  const office = defineCalendar(OFFICE_BERLIN);

  it.each([
    [
      'a local date-time without offset',
      () => addBusinessSeconds(office, '2025-06-17T09:00:00', 60),
      'BUSINESS_TIME_INVALID_INSTANT',
      { field: 'start' },
    ],
    [
      'a date only',
      () => businessSecondsBetween(office, '2025-06-17', '2025-06-18T00:00:00Z'),
      'BUSINESS_TIME_INVALID_INSTANT',
      { field: 'from' },
    ],
    [
      'no instant at all',
      () => businessSecondsBetween(ALWAYS_OPEN, '2025-06-17T00:00:00Z', 'tomorrow'),
      'BUSINESS_TIME_INVALID_INSTANT',
      { field: 'to' },
    ],
    ['a negative target', () => addBusinessSeconds(office, '2025-06-17T09:00:00Z', -1), 'BUSINESS_TIME_INVALID_SECONDS', { value: -1 }],
    ['an infinite target', () => addBusinessSeconds(ALWAYS_OPEN, '2025-06-17T09:00:00Z', Infinity), 'BUSINESS_TIME_INVALID_SECONDS', {}],
    ['a target that is not a number', () => addBusinessSeconds(office, '2025-06-17T09:00:00Z', NaN), 'BUSINESS_TIME_INVALID_SECONDS', {}],
  ] as const)('given %s, then it is refused', (_name, run, code, details) => {
    expect(rejection(run)).toMatchObject({ code, kind: 'rule', details });
  });

  it('given an instant with an offset, then it is read as that instant', () => {
    // 11:00+02:00 is 09:00Z = 11:00 CEST on Tuesday: 30 min later, 11:30 CEST = 09:30Z.
    expect(addBusinessSeconds(office, '2025-06-17T11:00:00+02:00', 1800)).toBe('2025-06-17T09:30:00.000Z');
  });
});
