import type { BusinessCalendar } from '../business-time/calendar.js';
import type { EscalationLevel } from '../reference/definitions.js';

/**
 * The terms of one clock as recorded in the event that starts it (KPIS.md "Business time"): its
 * target and the calendar version it runs in. `calendarId` is a version id (`office@2`); calendar
 * time is the 24/7 calendar (`24x7@1`). With the start instant (the event's) and the holds in the
 * stream, these make every due time and business measure re-derivable from the log alone.
 */
export interface ClockTerms {
  targetSeconds: number;
  calendarId: string;
  /**
   * The policy's breach warnings: percents of the target, ascending (absent = none, as in every
   * event written before warnings existed). Recorded with the clock, so the warning instants are
   * re-derivable from the log alone, like the due.
   */
  warnings?: number[];
}

/** The terms of a cycle's response and resolution clocks, and the policy version they came from. */
export interface CycleTerms {
  /** `<policy id>@<version>`, `default@1` for the built-in default; null when no policy applies (imports without targets) */
  policyId: string | null;
  responseClock: ClockTerms | null;
  resolutionClock: ClockTerms | null;
}

/** Every clock a policy sets for a ticket at one instant. */
export interface SlaTerms extends CycleTerms {
  claimClock: ClockTerms | null;
  /** the calendar version business targets run in (the policy's, else the unit's, else 24/7) */
  calendarId: string;
}

/** What a policy is matched on, and the unit whose calendar applies by default. */
export interface SlaKey {
  category: string;
  priority: string;
  channel: string;
  customerTier: string | null;
  unitId: string;
}

/**
 * The SLA side of a command's context: the terms in force at an instant, and the calendar a
 * recorded version id names. Pure lookups over the reference catalogue (or the built-in default).
 */
/** An escalation rule version as decide uses it: its recorded id (`late-billing@2`) and levels. */
export interface EscalationRuleTerms {
  ruleId: string;
  levels: readonly EscalationLevel[];
}

export interface SlaCatalogue {
  termsAt(key: SlaKey, at: string): SlaTerms;
  /** The rule for a delay of `phase` due at `at`; absent lookup or no match = no escalation (specs without rules). */
  escalationRuleAt?(key: SlaKey, phase: 'claim' | 'response' | 'resolution', at: string): EscalationRuleTerms | undefined;
  /** A recorded rule version by id (versions never change). */
  escalationRule?(ruleVersionId: string): EscalationRuleTerms | undefined;
  /** A supervisor of the unit to name in an escalation, or null when it has none. */
  supervisorOf?(unitId: string): string | null;
  /** Throws for an id no calendar version has: recorded ids always resolve. */
  calendar(calendarVersionId: string): BusinessCalendar;
}

export const CALENDAR_TIME_ID = '24x7@1';
export const DEFAULT_POLICY_ID = 'default@1';

/**
 * The built-in policy (DESIGN.md §7) for tickets no defined policy matches, and for every ticket
 * of a fresh install: claim 30 min, response 4 h, resolution 3 days, in calendar time, with
 * breach warnings at 75% and 90% of each target.
 */
export const DEFAULT_WARNINGS: readonly number[] = Object.freeze([75, 90]);

export const DEFAULT_TERMS: SlaTerms = Object.freeze({
  policyId: DEFAULT_POLICY_ID,
  calendarId: CALENDAR_TIME_ID,
  claimClock: { targetSeconds: 30 * 60, calendarId: CALENDAR_TIME_ID, warnings: [...DEFAULT_WARNINGS] },
  responseClock: { targetSeconds: 4 * 60 * 60, calendarId: CALENDAR_TIME_ID, warnings: [...DEFAULT_WARNINGS] },
  resolutionClock: { targetSeconds: 3 * 24 * 60 * 60, calendarId: CALENDAR_TIME_ID, warnings: [...DEFAULT_WARNINGS] },
});
