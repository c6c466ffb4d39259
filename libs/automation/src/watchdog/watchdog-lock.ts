import pg from 'pg';

/**
 * The session advisory lock that makes one watchdog active, held on a connection of its own (as
 * the projection runners' RunnerLock): when the process dies PostgreSQL ends the session, frees
 * the lock, and a standby watchdog takes it at its next tick.
 */
const TRY_LOCK = `SELECT pg_try_advisory_lock(hashtextextended('sla.watchdog', 11)) AS locked`;
const UNLOCK = `SELECT pg_advisory_unlock(hashtextextended('sla.watchdog', 11))`;

export class WatchdogLock {
  private client: pg.Client | undefined;
  private held = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onLost: (error: Error) => void,
  ) {}

  /** Takes the lock if it is free; never waits. True while it is held. */
  async tryAcquire(): Promise<boolean> {
    if (this.held && this.client) return true;
    const client = this.client ?? (await this.connect());
    const { rows } = await client.query<{ locked: boolean }>(TRY_LOCK);
    this.held = rows[0].locked;
    return this.held;
  }

  /** Frees the lock and closes its connection. */
  async close(): Promise<void> {
    const client = this.client;
    const wasHeld = this.held;
    this.client = undefined;
    this.held = false;
    if (!client) return;
    try {
      if (wasHeld) await client.query(UNLOCK);
    } finally {
      // Ending the session frees the lock even when the unlock above failed.
      await client.end();
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      ...this.pool.options,
      application_name: `${this.pool.options.application_name ?? 'bildirim'}:watchdog`,
    });
    const drop = (error: Error): void => {
      if (this.client !== client) return;
      // The session and its lock are gone: connect again (and compete for the lock) at the next tick.
      this.client = undefined;
      this.held = false;
      this.onLost(error);
      client.end().catch((endError: unknown) => this.onLost(endError instanceof Error ? endError : new Error(String(endError))));
    };
    client.on('error', drop);
    client.on('end', () => drop(new Error('the connection holding the watchdog lock ended')));
    await client.connect();
    this.client = client;
    return client;
  }
}
