import pg from 'pg';

/**
 * A session advisory lock that makes one instance of a background worker active (the SLA
 * watchdog, the webhook deliverer), held on a connection of its own as the projection runners'
 * RunnerLock: when the process dies PostgreSQL ends the session and frees the lock, and a
 * standby takes it at its next tick.
 */
export class SessionLock {
  private client: pg.Client | undefined;
  private held = false;
  private readonly tryLock: string;
  private readonly unlock: string;

  /** `key` names the lock (hashed into PostgreSQL's 64-bit key space); `role` names its connection. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly lock: { key: string; role: string },
    private readonly onLost: (error: Error) => void,
  ) {
    const key = `hashtextextended('${lock.key.replace(/'/g, "''")}', 11)`;
    this.tryLock = `SELECT pg_try_advisory_lock(${key}) AS locked`;
    this.unlock = `SELECT pg_advisory_unlock(${key})`;
  }

  /** Takes the lock if it is free; never waits. True while it is held. */
  async tryAcquire(): Promise<boolean> {
    if (this.held && this.client) return true;
    const client = this.client ?? (await this.connect());
    const { rows } = await client.query<{ locked: boolean }>(this.tryLock);
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
      if (wasHeld) await client.query(this.unlock);
    } finally {
      // Ending the session frees the lock even when the unlock above failed.
      await client.end();
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      ...this.pool.options,
      application_name: `${this.pool.options.application_name ?? 'bildirim'}:${this.lock.role}`,
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
    client.on('end', () => drop(new Error(`the connection holding the ${this.lock.role} lock ended`)));
    await client.connect();
    this.client = client;
    return client;
  }
}
