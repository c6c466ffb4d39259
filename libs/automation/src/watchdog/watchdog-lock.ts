import type pg from 'pg';
import { SessionLock } from '../session-lock.js';

/** The lock that makes one SLA watchdog active (SessionLock); its key is unchanged, so old and new watchdogs still exclude each other. */
export class WatchdogLock extends SessionLock {
  constructor(pool: pg.Pool, onLost: (error: Error) => void) {
    super(pool, { key: 'sla.watchdog', role: 'watchdog' }, onLost);
  }
}
