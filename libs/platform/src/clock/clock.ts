/** Time is injected (DESIGN.md §8): SLA, watchdog and reports are tested at any instant without sleeping. */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
