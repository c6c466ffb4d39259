import type pg from 'pg';
import { SessionLock } from './session-lock.js';

export type LoopLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LoopLog = (level: LoopLogLevel, msg: string, fields?: Record<string, unknown>) => void;

export interface LockedLoopOptions<R> {
  pool: pg.Pool;
  /** the advisory lock that makes one instance active (SessionLock) */
  lock: { key: string; role: string };
  /** what the logs call it: "the SLA watchdog" */
  name: string;
  intervalMs: number;
  log: LoopLog;
  /** one round's work, run while this instance holds the lock */
  work: () => Promise<R>;
  /** after a round that answers true, the next one starts at once instead of after the interval */
  again?: (result: R) => boolean;
}

/**
 * A background loop of which one instance is active across processes (the SLA watchdog, the
 * webhook deliverer): each round takes or keeps a session advisory lock, then works; the others
 * stand by and take over at their next round. A round's error is logged and the next round tries
 * again; `stop` finishes the round in flight and frees the lock for a standby.
 */
export class LockedLoop<R> {
  private readonly lock: SessionLock;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private active = false;

  constructor(private readonly options: LockedLoopOptions<R>) {
    this.lock = new SessionLock(options.pool, options.lock, (error) =>
      options.log('warn', `the connection holding the lock of ${options.name} failed; the lock is lost`, { error: error.message }),
    );
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.lock.close();
    this.active = false;
  }

  /** True while this instance holds the lock. */
  get isActive(): boolean {
    return this.active;
  }

  /** One round: take the lock or stand by; if active, work. Undefined when standing by or failed (logged). */
  async tick(): Promise<R | undefined> {
    try {
      const active = await this.lock.tryAcquire();
      if (active !== this.active) this.options.log('info', `${this.options.name} ${active ? 'is active' : 'stands by'}`);
      this.active = active;
      if (!active) return undefined;
      return await this.options.work();
    } catch (error) {
      this.options.log('error', `a round of ${this.options.name} failed; it tries again at the next interval`, errorFields(error));
      return undefined;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      let again = false;
      this.running = this.tick()
        .then((result) => {
          again = result !== undefined && (this.options.again?.(result) ?? false);
        })
        .finally(() => {
          this.running = undefined;
          this.schedule(again ? 0 : this.options.intervalMs);
        });
    }, delayMs);
  }
}

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    // A DomainError or a driver error names its code.
    const code = 'code' in error && typeof error.code === 'string' ? { code: error.code } : {};
    return { error: error.name, errorMessage: error.message, ...code, stack: error.stack };
  }
  return { error: String(error) };
}
