import pg from 'pg';
import { startDouble, type EventStoreDbDouble } from '#event-store/eventstoredb/testing/double/index.js';
import { TICKET_STREAM_PREFIX } from '#ticketing';

/**
 * The event stores an end-to-end spec runs against (issue 9): PostgreSQL as the API uses it by
 * default, and EventStoreDB as the in-process test double, which the spawned API processes reach
 * through EVENT_STORE=eventstoredb and its connection string. PostgreSQL still holds the read
 * models, commands and API keys in both.
 */
export type EventStoreName = 'PostgreSQL' | 'EventStoreDB (test double)';

export interface EventStoreUnderTest {
  readonly name: EventStoreName;
  /** Environment for every API process of the spec (ApiProcessOptions.env). */
  readonly env: Record<string, string>;
  /** The double the API processes use; undefined on PostgreSQL. */
  readonly double: EventStoreDbDouble | undefined;
  /**
   * The `ticket-…` streams each store holds, sorted: `inUse` from the store the API was given,
   * `other` from the one it must not have written to (PostgreSQL's event_store.events for the
   * double; nothing for PostgreSQL, which has no other store).
   */
  ticketStreams(): Promise<{ inUse: string[]; other: string[] }>;
  tearDown(): Promise<void>;
}

export interface EventStoreVariant {
  readonly name: EventStoreName;
  /** `databaseUrl`: the spec's PostgreSQL database, the one its API processes are given. */
  setUp(databaseUrl: string): Promise<EventStoreUnderTest>;
}

async function postgresTicketStreams(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ stream_id: string }>(
      'SELECT DISTINCT stream_id FROM event_store.events WHERE starts_with(stream_id, $1) ORDER BY stream_id',
      [TICKET_STREAM_PREFIX],
    );
    return result.rows.map((row) => row.stream_id);
  } finally {
    await client.end();
  }
}

function doubleTicketStreams(double: EventStoreDbDouble): string[] {
  return [...new Set(double.events().map((event) => event.streamId))].filter((id) => id.startsWith(TICKET_STREAM_PREFIX)).sort();
}

export const POSTGRESQL: EventStoreVariant = {
  name: 'PostgreSQL',
  setUp: (databaseUrl) =>
    Promise.resolve({
      name: 'PostgreSQL',
      env: {},
      double: undefined,
      ticketStreams: async () => ({ inUse: await postgresTicketStreams(databaseUrl), other: [] }),
      tearDown: () => Promise.resolve(),
    }),
};

export const EVENTSTOREDB_DOUBLE: EventStoreVariant = {
  name: 'EventStoreDB (test double)',
  async setUp(databaseUrl) {
    // BatchAppend advertised, as a real 23.10 node does: the client then appends over it.
    const double = await startDouble({ batchAppend: true });
    return {
      name: 'EventStoreDB (test double)',
      env: { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: double.connectionString },
      double,
      ticketStreams: async () => ({ inUse: doubleTicketStreams(double), other: await postgresTicketStreams(databaseUrl) }),
      tearDown: () => double.close(),
    };
  },
};

/** Both stores, for `describe.each(eventStoreVariants())('… on $name', …)`. */
export function eventStoreVariants(): EventStoreVariant[] {
  return [POSTGRESQL, EVENTSTOREDB_DOUBLE];
}
