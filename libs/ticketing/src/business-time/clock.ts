import { addBusinessMs, businessMsBetween, parseInstant, secondsToMs } from './business-time.js';
import type { BusinessCalendar } from './calendar.js';

/**
 * A response or resolution phase's clock under holds (KPIS.md "Business time"): running toward
 * its due, or paused by a hold with the business time it had left. A hold at h pauses a phase
 * whose due ≥ h, keeping r = B(h, due); a phase whose due < h was already late and keeps its
 * due. Resume at u sets due = add(u, r) — in the 24/7 calendar the old due plus the hold.
 */
export type PhaseClock =
  { readonly state: 'running'; readonly due: string } | { readonly state: 'paused'; readonly remainingSeconds: number };

export function startPhaseClock(calendar: BusinessCalendar, start: string, targetSeconds: number): PhaseClock {
  return running(addBusinessMs(calendar, parseInstant('start', start), secondsToMs('targetSeconds', targetSeconds)));
}

/** A paused clock stays paused; a late one keeps its due (it cannot be un-delayed by a hold). */
export function holdPhaseClock(calendar: BusinessCalendar, clock: PhaseClock, at: string): PhaseClock {
  const holdAt = parseInstant('at', at);
  if (clock.state === 'paused') return clock;
  const due = Date.parse(clock.due);
  if (due < holdAt) return clock;
  return { state: 'paused', remainingSeconds: businessMsBetween(calendar, holdAt, due) / 1000 };
}

/** A running clock (one that was already late when the hold began) keeps its due. */
export function resumePhaseClock(calendar: BusinessCalendar, clock: PhaseClock, at: string): PhaseClock {
  const resumeAt = parseInstant('at', at);
  if (clock.state === 'running') return clock;
  return running(addBusinessMs(calendar, resumeAt, secondsToMs('remainingSeconds', clock.remainingSeconds)));
}

function running(due: number): PhaseClock {
  return { state: 'running', due: new Date(due).toISOString() };
}
