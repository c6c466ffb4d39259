/**
 * Until the SLA engine exists, one default policy applies (DESIGN.md §7): claim 30 min,
 * response 4 h, resolution 3 days, in calendar time on the 24/7 calendar. Due times are
 * computed when a clock starts and recorded in the event, so later policy edits change no history.
 */
export interface SlaTargets {
  /** seconds, or null for no target */
  claimSeconds: number | null;
  responseSeconds: number | null;
  resolutionSeconds: number | null;
  calendarId: string;
}

export interface PolicyKey {
  category: string;
  priority: string;
  channel: string;
  customerTier: string | null;
}

export type SlaPolicy = (key: PolicyKey) => SlaTargets;

export const CALENDAR_24_7 = '24x7@1';

export const defaultPolicy: SlaPolicy = () => ({
  claimSeconds: 30 * 60,
  responseSeconds: 4 * 60 * 60,
  resolutionSeconds: 3 * 24 * 60 * 60,
  calendarId: CALENDAR_24_7,
});

/** Calendar time: the due instant is the start plus the target (the 24/7 calendar). */
export function dueAfter(startIso: string, seconds: number | null, pausedMs = 0): string | null {
  if (seconds === null) return null;
  return new Date(Date.parse(startIso) + seconds * 1000 + pausedMs).toISOString();
}
