import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { LOCK_OWNER, OWNER_LOCK_NAMESPACE, UNLOCK_OWNER } from './commands-table.js';

/** A quiet process gives its liveness session back after this long without a command. */
const LINGER_MS = 1000;
const OWNER_DRAWS = 5;

function drawOwner(): number {
  return randomInt(1, 2 ** 31 - 1);
}

/**
 * The process's claim to be alive, for the rows it runs commands under: while it has commands
 * in flight, one session of the pool holds the advisory lock (namespace, owner). A process
 * that dies loses its session and so its lock, and other processes take its unanswered rows
 * over; one connection per process, however many commands run, and no transaction held open.
 */
export class OwnerLiveness {
  private owner = drawOwner();
  private current: Session | undefined;
  private inFlight = 0;
  private linger: NodeJS.Timeout | undefined;

  constructor(private readonly pool: pg.Pool) {}

  /** Before a command: the owner its rows carry, with the lock held. Pair with `leave()`, also when this throws. */
  async enter(): Promise<number> {
    this.inFlight += 1;
    clearTimeout(this.linger);
    this.linger = undefined;
    const session = (this.current ??= this.open());
    try {
      await session.locked;
    } catch (error) {
      // The next command tries again on a new session.
      if (this.current === session) this.current = undefined;
      throw error;
    }
    return this.owner;
  }

  leave(): void {
    this.inFlight -= 1;
    if (this.inFlight > 0 || this.linger !== undefined) return;
    this.linger = setTimeout(() => {
      this.linger = undefined;
      if (this.inFlight === 0) void this.unlock();
    }, LINGER_MS);
  }

  /** Gives the session back now (shutdown). */
  async close(): Promise<void> {
    clearTimeout(this.linger);
    this.linger = undefined;
    await this.unlock();
  }

  private open(): Session {
    const session: Session = { locked: Promise.resolve(undefined), release: () => undefined };
    session.locked = this.lock(session);
    return session;
  }

  private async lock(session: Session): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    let released = false;
    const onError = (error: Error): void => {
      // The session idles while commands run; if the server drops it, pg emits 'error' on the
      // client, which would crash the process unheard. The lock is gone with it: the next
      // command takes it again on a new session.
      if (this.current === session) this.current = undefined;
      session.release(error);
    };
    session.release = (error?: Error): void => {
      if (released) return;
      released = true;
      client.removeListener('error', onError);
      client.release(error);
    };
    client.on('error', onError);
    try {
      for (let draw = 1; ; draw++) {
        const { rows } = await client.query<{ locked: boolean }>(LOCK_OWNER, [OWNER_LOCK_NAMESPACE, this.owner]);
        if (rows[0].locked) return client;
        // Another live process drew the same owner (one in two billion), or this one's old session is still letting go.
        if (draw === OWNER_DRAWS) throw new Error(`no free idempotency owner after ${OWNER_DRAWS} draws`);
        this.owner = drawOwner();
      }
    } catch (error) {
      session.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  private async unlock(): Promise<void> {
    const session = this.current;
    this.current = undefined;
    if (!session) return;
    // A session that failed to lock was given back then, and its error answered the command that asked.
    const client = await session.locked.catch(() => undefined);
    if (!client) return;
    try {
      await client.query(UNLOCK_OWNER, [OWNER_LOCK_NAMESPACE, this.owner]);
      session.release();
    } catch (error) {
      // The session is in an unknown state: the pool drops it, and its lock goes with it.
      session.release(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

interface Session {
  /** the session once it holds the lock */
  locked: Promise<pg.PoolClient | undefined>;
  /** back to the pool (with an error: dropped); once */
  release(error?: Error): void;
}
