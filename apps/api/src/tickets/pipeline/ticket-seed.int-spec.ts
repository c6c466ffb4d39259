import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { RecordedEvent } from '#event-store/port/event-store.js';
import { bulkLoad } from '#event-store/postgres/bulk-load.js';
import { migrateEventStore } from '#event-store/postgres/migrate.js';
import { PostgresEventStore } from '#event-store/postgres/postgres-event-store.js';
import { endPool } from '#read-model/postgres/close-pools.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { TicketSnapshots } from './ticket-snapshots.js';
import { TicketStreamRepository } from './ticket-stream.repository.js';
import { seedAppends, type SeedWorkload } from '#workload';

/*
 * The seed stands for what the API would have stored: each of its commands, handed to the API's
 * own TicketStreamRepository with its decided events and envelope, must store the very same
 * events — ids, data and metadata — as the bulk load of the seed does.
 */

const WORKLOAD: SeedWorkload = { tickets: 80, seed: 77, start: new Date('2025-03-01T00:00:00Z'), days: 2 };

async function readEverything(store: PostgresEventStore): Promise<Array<Omit<RecordedEvent, 'position' | 'recordedAt'>>> {
  const events: RecordedEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 500 });
    events.push(...page.events);
    after = page.nextAfter;
    if (page.isEnd) break;
  }
  return events.map(({ position: _position, recordedAt: _recordedAt, ...content }) => content);
}

describe('the bench seed, bulk-loaded, is what the API’s command pipeline stores', () => {
  let throughApi: TestDatabase;
  let loaded: TestDatabase;
  let apiPool: pg.Pool;
  let loadPool: pg.Pool;
  let apiStore: PostgresEventStore;
  let loadStore: PostgresEventStore;

  beforeAll(async () => {
    throughApi = await createTestDatabase('seed_api');
    loaded = await createTestDatabase('seed_bulk');
    apiPool = new pg.Pool({ connectionString: throughApi.url, max: 2 });
    loadPool = new pg.Pool({ connectionString: loaded.url, max: 2 });
    await migrateEventStore(apiPool);
    await migrateEventStore(loadPool);
    apiStore = new PostgresEventStore(apiPool);
    loadStore = new PostgresEventStore(loadPool);
    const repository = new TicketStreamRepository(apiStore, new TicketSnapshots(0));
    for (const append of seedAppends(WORKLOAD)) {
      await repository.append(append.ticketId, append.command, append.decided, append.expectedRevision, append.envelope);
    }
    await bulkLoad(loadPool, seedAppends(WORKLOAD), { eventsPerBatch: 100 });
  });

  afterAll(async () => {
    await apiStore?.close();
    await loadStore?.close();
    if (apiPool) await endPool(apiPool);
    if (loadPool) await endPool(loadPool);
    await throughApi?.drop();
    await loaded?.drop();
  });

  it('stores the same events, with the same ids, data and metadata, in the same order', async () => {
    const fromApi = await readEverything(apiStore);
    expect(fromApi.length).toBeGreaterThan(WORKLOAD.tickets * 7);
    expect(await readEverything(loadStore)).toEqual(fromApi);
  });
});
