import type { CalendarDefinition, WorkingInterval } from '../business-time/calendar.js';

/** Calendars of the hand-computed business-time specs (2025 dates; the shared fixture's are 2026). */
const officeDay: WorkingInterval[] = [
  ['09:00', '12:00'],
  ['13:00', '17:00'],
];

/** Berlin office: 09–12 and 13–17 on weekdays (7 h), Labour Day off, a bridge half day, an extra Saturday, Christmas. */
export const OFFICE_BERLIN: CalendarDefinition = {
  zone: 'Europe/Berlin',
  weekly: { mon: officeDay, tue: officeDay, wed: officeDay, thu: officeDay, fri: officeDay },
  overrides: {
    '2025-05-01': [],
    '2025-05-02': [['09:00', '12:00']],
    '2025-05-03': [['10:00', '14:00']],
    '2025-12-24': [['09:00', '12:00']],
    '2025-12-25': [],
    '2025-12-26': [],
  },
};

const night: WorkingInterval[] = [
  ['00:00', '06:00'],
  ['20:00', '24:00'],
];

/** Berlin night shift 20:00–06:00 every night: two intervals on two days. */
export const NIGHT_BERLIN: CalendarDefinition = {
  zone: 'Europe/Berlin',
  weekly: { mon: night, tue: night, wed: night, thu: night, fri: night, sat: night, sun: night },
};

/** Sundays 02:30–05:00 in Berlin: its start falls in the spring-forward gap and on the repeated fall-back hour. */
export const DAWN_BERLIN: CalendarDefinition = { zone: 'Europe/Berlin', weekly: { sun: [['02:30', '05:00']] } };

const allDay: WorkingInterval[] = [['00:00', '24:00']];

/** Every hour of every day, in Berlin: the same working time as the 24/7 calendar, reached through the zone. */
export const ALL_DAY_BERLIN: CalendarDefinition = {
  zone: 'Europe/Berlin',
  weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
};

const istanbulDay: WorkingInterval[] = [['09:00', '18:00']];

/** Istanbul (UTC+3 all year): 09–18 on weekdays, Saturday 10–14, the Republic Day eve half day and holiday, New Year. */
export const OFFICE_ISTANBUL: CalendarDefinition = {
  zone: 'Europe/Istanbul',
  weekly: { mon: istanbulDay, tue: istanbulDay, wed: istanbulDay, thu: istanbulDay, fri: istanbulDay, sat: [['10:00', '14:00']] },
  overrides: { '2025-10-28': [['09:00', '13:00']], '2025-10-29': [], '2026-01-01': [] },
};
