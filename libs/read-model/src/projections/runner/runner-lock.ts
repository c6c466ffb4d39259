import pg from 'pg';
import { errorDetails, type ProjectionLog } from '../log.js';
import { RELEASE_RUNNER_LOCK, TRY_RUNNER_LOCK } from '../schema/checkpoints.js';

/**
 * The session advisory lock that makes one runner per projection version active, held on a
 * connection of its own: pool connections come and go, a session lock must not. When the
 * process dies, PostgreSQL ends the session and frees the lock, and a standby takes over.
 *
 * Losing the connection loses the lock; `lost` says so, and the runner stops after its batch.
 * The checkpoint's compare-and-set keeps even that moment safe: a batch is applied once.
 */
export class RunnerLock {
  private client: pg.Client | undefined;
  private held = false;
  private broken = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly name: string,
    private readonly version: number,
    private readonly log: ProjectionLog,
  ) {}

  /** True while the lock is held on a connection that has not failed. */
  get holding(): boolean {
    return this.held && !this.broken;
  }

  /** Takes the lock if it is free; never waits. */
  async tryAcquire(): Promise<boolean> {
    if (this.held && !this.broken) return true;
    if (this.broken) await this.close();
    const client = this.client ?? (await this.connect());
    const { rows } = await client.query<{ locked: boolean }>({ ...TRY_RUNNER_LOCK, values: [this.name, this.version] });
    this.held = rows[0].locked;
    return this.held;
  }

  /** Frees the lock (for the standby) and closes the connection. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    const wasHeld = this.held && !this.broken;
    this.held = false;
    this.broken = false;
    if (!client) return;
    try {
      if (wasHeld) await client.query({ ...RELEASE_RUNNER_LOCK, values: [this.name, this.version] });
    } finally {
      // Ending the session frees the lock even when the unlock above failed.
      await client.end();
    }
  }

  private async connect(): Promise<pg.Client> {
    const applicationName = `${this.pool.options.application_name ?? 'bildirim'}:lock`;
    const client = new pg.Client({ ...this.pool.options, application_name: applicationName });
    client.on('error', (error) => {
      this.broken = true;
      this.log('warn', 'the connection holding a projection lock failed; the lock is lost', {
        projection: this.name,
        version: this.version,
        ...errorDetails(error),
      });
    });
    client.on('end', () => {
      if (this.client === client) this.broken = true;
    });
    // A client whose connect failed holds nothing and cannot be reused: it is simply dropped.
    await client.connect();
    this.client = client;
    return client;
  }
}
