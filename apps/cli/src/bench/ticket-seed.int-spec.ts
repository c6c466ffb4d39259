import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { RecordedEvent } from '../../../../libs/event-store/src/port/event-store.js';
import { bulkLoad, type BulkAppend } from '../../../../libs/event-store/src/postgres/bulk-load.js';
import { migrateEventStore } from '../../../../libs/event-store/src/postgres/migrate.js';
import { PostgresEventStore } from '../../../../libs/event-store/src/postgres/postgres-event-store.js';
import { endPool } from '../../../../libs/read-model/src/postgres/close-pools.js';
import { createTestDatabase, type TestDatabase } from '../../../../libs/read-model/src/testing/test-database.js';
import { decodeTicketEvent } from '../../../../libs/ticketing/src/index.js';
import { TicketStreamRepository, type CommandMetadata } from '../../../api/src/tickets/ticket-stream.repository.js';
import { seedAppends, type SeedWorkload } from './ticket-seed.js';

/*
 * The seed stands for what the API would have stored: each of its appends, handed to the API's
 * own TicketStreamRepository with the same command (id, type, caller), must store the very
 * same events — ids, data and metadata — as the bulk load of the seed does.
 */

const WORKLOAD: SeedWorkload = { tickets: 80, seed: 77, start: new Date('2025-03-01T00:00:00Z'), days: 2 };

function commandOf(append: BulkAppend): CommandMetadata {
  const metadata = append.events[0].metadata;
  const actor = metadata.actor as { service: string; apiKeyId: string; userId: string | null };
  return {
    commandId: String(metadata.commandId),
    commandType: String(metadata.commandType),
    correlationId: String(metadata.correlationId),
    causationId: String(metadata.causationId),
    actor: { service: actor.service, apiKeyId: actor.apiKeyId, userId: actor.userId },
  };
}

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
    const repository = new TicketStreamRepository(apiStore);
    for (const append of seedAppends(WORKLOAD)) {
      const ticketId = append.streamId.replace(/^ticket-/, '');
      const events = append.events.map((event) => decodeTicketEvent({ type: event.type, data: event.data, metadata: event.metadata }));
      await repository.append(ticketId, events, append.expectedRevision, commandOf(append));
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
