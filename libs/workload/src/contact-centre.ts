import type { CalendarDefinition, Weekday, WorkingInterval } from '#ticketing';
import { CATEGORIES, centreStaff } from './ticket-load.js';

/**
 * The simulated contact centre's structure (cli simulate, issue 13): which units work round the
 * clock and which office hours, the holidays, and each agent's shift. Plain data, in local time
 * of one zone; the ticket model (centre-tickets.ts) and the reference data
 * (centre-reference.ts) are both read from here, so the due times the domain computes and the
 * hours the agents work come from the same calendars.
 */

export const CENTRE_ZONE = 'Europe/Istanbul';

/** The centre's reference versions are in force from here, so a simulation of any span runs on them. */
export const CENTRE_EFFECTIVE_FROM = '2000-01-01T00:00:00.000Z';

/** The calendar of the office units, of the phone line and of the stores. */
export const OFFICE_CALENDAR_ID = 'centre-office';

/** Units 01–04 work 24/7 (technical support and outages); the others office hours. */
export const ROUND_THE_CLOCK_UNITS = 4;

/** Categories the 24/7 units take; every other category goes to office units. */
export const ROUND_THE_CLOCK_CATEGORIES: readonly string[] = ['technical', 'outage'];

const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const ALL_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Turkey's fixed public holidays (month-day), closed all day. */
const FIXED_HOLIDAYS = ['01-01', '04-23', '05-01', '05-19', '07-15', '08-30', '10-29'];
/** The religious holidays of 2026 (Ramazan and Kurban Bayramı), by date: they move with the lunar calendar. */
const MOVABLE_HOLIDAYS_2026 = ['2026-03-20', '2026-03-21', '2026-03-22', '2026-05-27', '2026-05-28', '2026-05-29', '2026-05-30'];
const HOLIDAY_YEARS = { from: 2020, to: 2035 };

/** Every holiday the office calendar closes: the fixed ones for 2020–2035 and 2026's movable ones. */
export function centreHolidays(): string[] {
  const dates: string[] = [...MOVABLE_HOLIDAYS_2026];
  for (let year = HOLIDAY_YEARS.from; year <= HOLIDAY_YEARS.to; year++) dates.push(...FIXED_HOLIDAYS.map((day) => `${year}-${day}`));
  return dates.sort();
}

function closedOn(dates: readonly string[]): Record<string, readonly WorkingInterval[]> {
  return Object.fromEntries(dates.map((date) => [date, []]));
}

/** Weekdays 08:00–18:00 in Istanbul, closed on holidays. */
export function officeCalendar(): CalendarDefinition {
  return {
    zone: CENTRE_ZONE,
    weekly: Object.fromEntries(WORKDAYS.map((day) => [day, [['08:00', '18:00']]])),
    overrides: closedOn(centreHolidays()),
  };
}

export type ShiftName = 'early' | 'late' | 'night';

/** Shift hours, local: the office's two overlap at midday; the 24/7 units' three cover the clock. */
const OFFICE_SHIFTS: Record<'early' | 'late', WorkingInterval> = { early: ['08:00', '16:00'], late: ['10:00', '18:00'] };
const ROUND_THE_CLOCK_SHIFTS: Record<ShiftName, WorkingInterval> = {
  early: ['06:00', '14:00'],
  late: ['14:00', '22:00'],
  night: ['22:00', '06:00'],
};

export interface CentreAgent {
  id: string;
  shift: ShiftName;
  /** the weekdays the agent's shift starts on */
  days: readonly Weekday[];
}

export interface CentreUnit {
  id: string;
  /** the office calendar, or null for 24/7 */
  calendar: string | null;
  agents: readonly CentreAgent[];
}

/**
 * The units and their agents, named as the uniform workload names them (centreStaff). Office
 * agents: the first half early, the second half late, Monday to Friday. 24/7 agents: shifts in
 * turn (early, late, night), five days a week with two days off staggered so that every shift of
 * every day has at least two agents.
 */
export function centreUnits(): CentreUnit[] {
  return [...centreStaff()].map(([unit, agents], unitIndex) => {
    const roundTheClock = unitIndex < ROUND_THE_CLOCK_UNITS;
    return {
      id: unit,
      calendar: roundTheClock ? null : OFFICE_CALENDAR_ID,
      agents: agents.map((id, i): CentreAgent => {
        if (!roundTheClock) return { id, shift: i < agents.length / 2 ? 'early' : 'late', days: WORKDAYS };
        const off = [(i * 3 + Math.floor(i / 3)) % 7, (i * 3 + Math.floor(i / 3) + 1) % 7];
        return { id, shift: (['early', 'late', 'night'] as const)[i % 3], days: ALL_DAYS.filter((_, day) => !off.includes(day)) };
      }),
    };
  });
}

/** An agent's working hours as a calendar, so "on shift" and "next shift" are the domain's own business-time arithmetic. */
export function shiftCalendar(unit: CentreUnit, agent: CentreAgent): CalendarDefinition {
  const weekly: Partial<Record<Weekday, WorkingInterval[]>> = {};
  const add = (day: Weekday, interval: WorkingInterval) => (weekly[day] ??= []).push(interval);
  if (unit.calendar === null) {
    const [from, to] = ROUND_THE_CLOCK_SHIFTS[agent.shift];
    for (const day of agent.days) {
      if (from < to) add(day, [from, to]);
      else {
        // A night shift starts on its day and ends on the next.
        add(day, [from, '24:00']);
        add(ALL_DAYS[(ALL_DAYS.indexOf(day) + 1) % 7], ['00:00', to]);
      }
    }
    for (const intervals of Object.values(weekly)) intervals.sort(([a], [b]) => (a < b ? -1 : 1));
    return { zone: CENTRE_ZONE, weekly };
  }
  const interval = OFFICE_SHIFTS[agent.shift === 'late' ? 'late' : 'early'];
  for (const day of agent.days) add(day, interval);
  // The office is closed on holidays, and its agents are off.
  return { zone: CENTRE_ZONE, weekly, overrides: closedOn(centreHolidays()) };
}

/** The units that take a category's tickets first: 24/7 units for outages and technical faults, office units for the rest. */
export function homeUnits(units: readonly CentreUnit[], category: string): CentreUnit[] {
  if (ROUND_THE_CLOCK_CATEGORIES.includes(category)) return units.slice(0, ROUND_THE_CLOCK_UNITS);
  const office = units.slice(ROUND_THE_CLOCK_UNITS);
  const officeCategories = CATEGORIES.filter((c) => !ROUND_THE_CLOCK_CATEGORIES.includes(c));
  const index = officeCategories.indexOf(category);
  return office.filter((_, i) => i % officeCategories.length === index);
}
