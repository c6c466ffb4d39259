import {
  decide,
  defineCalendar,
  evolve,
  initialState,
  type BusinessCalendar,
  type CalendarDefinition,
  type TicketEvent,
  type TicketState,
} from '#ticketing';
import type { CalendarVersionDefinition } from '#ticketing/reference/definitions.js';
import type { SlaCatalogue } from '#ticketing/sla/terms.js';
import { testSla, type TestTargets } from '#ticketing/testing/sla.js';
import { CALENDAR_TIME_ONLY, type CalendarResolver } from '../business-measures.js';
import type { FixtureStep } from './report-fixture.js';

/**
 * The two business calendars of the business-time specs and fixture (December 2026):
 * - Istanbul (UTC+3 all year): 09:00–12:30 and 13:30–18:00 on weekdays (8 h, a lunch break).
 * - Berlin (UTC+1 in winter): 08:00–16:30 on weekdays (8.5 h); Christmas Eve a half day to
 *   12:00, Christmas Day (Friday 25 Dec) a holiday: with the weekend, a holiday weekend.
 */
const istanbulDay = [
  ['09:00', '12:30'],
  ['13:30', '18:00'],
] as const;
export const ISTANBUL_LUNCH: CalendarDefinition = {
  zone: 'Europe/Istanbul',
  weekly: { mon: istanbulDay, tue: istanbulDay, wed: istanbulDay, thu: istanbulDay, fri: istanbulDay },
};

const berlinDay = [['08:00', '16:30']] as const;
export const BERLIN_HOLIDAY: CalendarDefinition = {
  zone: 'Europe/Berlin',
  weekly: { mon: berlinDay, tue: berlinDay, wed: berlinDay, thu: berlinDay, fri: berlinDay },
  overrides: { '2026-12-24': [['08:00', '12:00']], '2026-12-25': [] },
};

export const ISTANBUL = 'istanbul-office@1';
export const BERLIN = 'berlin-office@1';

export const BUSINESS_CALENDARS: Record<string, CalendarVersionDefinition> = {
  [ISTANBUL]: { name: 'Istanbul office', effectiveFrom: '2026-01-01T00:00:00Z', definition: ISTANBUL_LUNCH },
  [BERLIN]: { name: 'Berlin office', effectiveFrom: '2026-01-01T00:00:00Z', definition: BERLIN_HOLIDAY },
};

/** The resolver the projection would build from those calendars' CalendarDefined events. */
const prepared = new Map<string, BusinessCalendar>();
export const businessCalendars: CalendarResolver = (id) => {
  const version = BUSINESS_CALENDARS[id];
  if (version === undefined) return CALENDAR_TIME_ONLY(id);
  const calendar = prepared.get(id) ?? defineCalendar(version.definition);
  prepared.set(id, calendar);
  return calendar;
};

/** SLA lookups with one policy in one calendar (targets in its business time) for every ticket. */
export function slaIn(calendarId: string, targets: Partial<TestTargets> = {}): SlaCatalogue {
  return testSla(
    () => ({ claimSeconds: 30 * 60, responseSeconds: 4 * 3600, resolutionSeconds: 24 * 3600, calendarId, ...targets }),
    Object.fromEntries(Object.keys(BUSINESS_CALENDARS).map((id) => [id, businessCalendars(id)])),
  );
}

/** SLA lookups with no policy at all (history imported without targets): no clocks. */
export const NO_POLICY: SlaCatalogue = {
  termsAt: () => ({ policyId: null, calendarId: '24x7@1', claimClock: null, responseClock: null, resolutionClock: null }),
  calendar: () => {
    throw new Error('no calendar without a policy');
  },
};

/** A ticket's stream from its commands under the given SLA lookups, through decide/evolve (a refusal throws). */
export function slaTicketStream(ticketId: string, sla: SlaCatalogue, steps: FixtureStep[]): TicketEvent[] {
  let state: TicketState = initialState;
  const events: TicketEvent[] = [];
  for (const step of steps) {
    const result = decide(state, step.command, { at: new Date(step.at).toISOString(), ticketId, sla });
    if (!Array.isArray(result))
      throw new Error(`${step.command.type} on ${ticketId} at ${step.at} refused: ${result.code} ${result.message}`);
    state = result.reduce(evolve, state);
    events.push(...result);
  }
  return events;
}
