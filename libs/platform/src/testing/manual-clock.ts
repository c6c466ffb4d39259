import type { Clock } from '../clock/clock.js';

/** A clock a spec sets and moves by hand. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(start: Date | string = '2025-01-06T09:00:00.000Z') {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
