import pg from 'pg';
import type { EventStore } from '#event-store';
import { targetIdentity } from '#event-store/copy/index.js';
import { EventStoreDbEventStore } from '#event-store/eventstoredb/index.js';
import { migrateEventStore, PostgresEventStore } from '#event-store/postgres/index.js';
import { endPool } from '#read-model';
import { UsageError } from '../usage.js';

/** The store `copy-events --to` writes into, opened and reachable, not yet written to. */
export interface TargetEventStore {
  store: EventStore;
  /** the connection string without user and password: keys the copy's checkpoint, shown in messages */
  identity: string;
  /** Readies the target for the copy's appends (PostgreSQL: its event_store schema migrated). The first write. */
  prepare(): Promise<void>;
  close(): Promise<void>;
}

/** The schemes `openTargetEventStore` opens. */
export const TARGET_SCHEMES = ['esdb://', 'esdb+discover://', 'postgres://', 'postgresql://'] as const;

/** The target answered nothing (or refused): nothing was written anywhere. */
export class TargetUnreachableError extends Error {
  readonly code = 'COPY_TARGET_UNREACHABLE';
  constructor(identity: string, reason: string) {
    super(`cannot reach the target ${identity}: ${reason}; nothing was written`);
    this.name = 'TargetUnreachableError';
  }
}

/**
 * The one place that turns `--to` into an event store. EventStoreDB (`esdb://`,
 * `esdb+discover://`): the production move (README "Production: EventStoreDB"). PostgreSQL
 * (`postgres://`, `postgresql://`): another server's or database's event_store schema, migrated
 * by `prepare`. Anything else is refused, naming the accepted schemes.
 */
export async function openTargetEventStore(connectionString: string): Promise<TargetEventStore> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(connectionString.trim())?.[1]?.toLowerCase();
  switch (scheme) {
    case 'esdb':
    case 'esdb+discover':
      return openEventStoreDbTarget(connectionString.trim());
    case 'postgres':
    case 'postgresql':
      return openPostgresTarget(connectionString.trim());
    default:
      throw new UsageError(
        `${scheme === undefined ? '--to needs a connection string' : `--to: a ${scheme}:// target is not supported`}; ` +
          `accepted: ${TARGET_SCHEMES.map((accepted) => `${accepted}…`).join(', ')}`,
      );
  }
}

async function openEventStoreDbTarget(connectionString: string): Promise<TargetEventStore> {
  const identity = targetIdentity(connectionString);
  let store: EventStoreDbEventStore;
  try {
    store = EventStoreDbEventStore.connect(connectionString);
  } catch (error) {
    // The client parses the connection string here and names what is wrong with it.
    throw new UsageError(`--to: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    await store.ping();
  } catch (error) {
    await store.close();
    throw new TargetUnreachableError(identity, error instanceof Error ? error.message || error.name : String(error));
  }
  return {
    store,
    identity,
    // EventStoreDB has no schema: streams come into being with their first append.
    prepare: async () => undefined,
    close: () => store.close(),
  };
}

async function openPostgresTarget(connectionString: string): Promise<TargetEventStore> {
  const identity = targetIdentity(connectionString);
  const pool = new pg.Pool({
    connectionString,
    max: 4,
    application_name: 'bildirim-cli:copy-target',
    // An address nobody answers on should fail the command in seconds, not hang it.
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server emits here; unhandled, it would end the process without a word.
  pool.on('error', (error) => process.stderr.write(`bildirim: a connection to the target failed: ${error.message}\n`));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    // pool.end, not endPool: the failed connection is already gone, and endPool would wait for it.
    await pool.end();
    throw new TargetUnreachableError(identity, error instanceof Error ? error.message || error.name : String(error));
  }
  const store = new PostgresEventStore(pool);
  return {
    store,
    identity,
    prepare: async () => {
      await migrateEventStore(pool);
    },
    close: async () => {
      await store.close();
      await endPool(pool);
    },
  };
}
