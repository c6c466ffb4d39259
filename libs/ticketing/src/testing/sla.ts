import { ALWAYS_OPEN, type BusinessCalendar } from '../business-time/calendar.js';
import { CALENDAR_TIME_ID, type ClockTerms, type SlaCatalogue, type SlaKey, type SlaTerms } from '../sla/terms.js';

/** A spec's policy: targets in seconds (null = none) in one calendar version (24/7 unless named). */
export interface TestTargets {
  claimSeconds: number | null;
  responseSeconds: number | null;
  resolutionSeconds: number | null;
  calendarId?: string;
}

export const TEST_POLICY_ID = 'test@1';

function clock(seconds: number | null, calendarId: string): ClockTerms | null {
  return seconds === null ? null : { targetSeconds: seconds, calendarId };
}

/** The terms a spec policy sets, to spread into an expected event. */
export function termsOf(targets: TestTargets): SlaTerms {
  const calendarId = targets.calendarId ?? CALENDAR_TIME_ID;
  return {
    policyId: TEST_POLICY_ID,
    calendarId,
    claimClock: clock(targets.claimSeconds, calendarId),
    responseClock: clock(targets.responseSeconds, calendarId),
    resolutionClock: clock(targets.resolutionSeconds, calendarId),
  };
}

/** SLA lookups from a function of the key, with the calendars a spec names by version id. */
export function testSla(policy: (key: SlaKey, at: string) => TestTargets, calendars: Record<string, BusinessCalendar> = {}): SlaCatalogue {
  return {
    termsAt: (key, at) => termsOf(policy(key, at)),
    calendar(calendarVersionId) {
      if (calendarVersionId === CALENDAR_TIME_ID) return ALWAYS_OPEN;
      const calendar = calendars[calendarVersionId];
      if (calendar === undefined) throw new Error(`the spec names no calendar ${calendarVersionId}`);
      return calendar;
    },
  };
}
