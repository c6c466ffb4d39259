/**
 * Background work on the event log that both the projector and a single-process API run: the SLA
 * watchdog (delays written when a due time passes). One instance is active at a time.
 */
export { Watchdog, type DeadlineOutcome, type WatchdogLog, type WatchdogLogLevel, type WatchdogOptions } from './watchdog/watchdog.js';
