import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ticketStreamId } from '#ticketing';
import { ApiProcess, codeOf, createApiKey, stopAll } from '../support/api-process.js';
import { EVENTSTOREDB_DOUBLE, type EventStoreUnderTest } from '../support/event-store-variants.js';
import { openTicketBody, requireTicketLog, type CommandAnswer } from '../support/ticket-log.js';

interface Health {
  status: 'ok' | 'degraded';
}

/**
 * Issue 9: when EventStoreDB goes away under a running API, a command is refused with 503
 * EVENT_STORE_UNAVAILABLE and Retry-After, nothing written and nothing remembered against its
 * Idempotency-Key; the instance reports itself degraded, not down. Once the node is back, the
 * same request with the same key is carried out, once.
 */
describe('a command while EventStoreDB is unavailable', () => {
  let db: TestDatabase | undefined;
  let store: EventStoreUnderTest;
  let api: ApiProcess;
  let service: string;
  let auditor: string;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_esdb_down');
    store = await EVENTSTOREDB_DOUBLE.setUp(db.url);
    api = await ApiProcess.start({ databaseUrl: db.url, name: 'esdb-down-api', env: store.env });
    [service, auditor] = await Promise.all([createApiKey(api, ['service']), createApiKey(api, ['auditor'])]);
  }, 120_000);

  afterAll(async () => {
    await stopAll(api);
    await store?.tearDown();
    await db?.drop();
  });

  it.each([
    { how: 'stops', abruptly: false },
    { how: 'drops its connections', abruptly: true },
  ])(
    'answers 503 with Retry-After while the node $how, reports degraded, and carries out the retry once it is back',
    async ({ abruptly }) => {
      const double = store.double;
      if (double === undefined) throw new Error('the EventStoreDB variant has no double');
      const opened = await api.http.post<CommandAnswer>('/tickets', openTicketBody({ subject: `esdb down, abruptly: ${abruptly}` }), {
        key: service,
      });
      expect(opened.status).toBe(201);
      const ticketId = opened.body.ticketId;
      const idempotencyKey = `esdb-down-claim-${abruptly}`;
      const claim = () => api.http.post<CommandAnswer>(`/tickets/${ticketId}/claim`, { userId: 'deniz' }, { key: service, idempotencyKey });

      await double.stop({ abruptly });
      let retryAfterSeconds: number;
      try {
        const refused = await claim();
        expect({ status: refused.status, code: codeOf(refused) }).toEqual({ status: 503, code: 'EVENT_STORE_UNAVAILABLE' });
        expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
        retryAfterSeconds = Number(refused.headers.get('retry-after'));

        const health = await api.http.get<Health>('/health');
        expect(health.status).toBe(200);
        expect(health.body.status).toBe('degraded');
      } finally {
        await double.start();
      }

      // a client doing as the 503 says: the same request, the same key, after Retry-After seconds
      await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000));
      const retried = await claim();
      expect(retried.status).toBe(200);
      // the 503 was not stored against the key: this is the command's first execution, not a replay
      expect(retried.body.replayed).toBe(false);
      expect(retried.headers.get('idempotent-replayed')).not.toBe('true');
      const again = await claim();
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body.commandId).toBe(retried.body.commandId);

      const log = await requireTicketLog(api.http, auditor, ticketId);
      expect(log.events.map((e) => e.type)).toEqual(['TicketOpened', 'TicketClaimed']);
      expect(log.events[1].eventId).toBe(retried.body.events[0].eventId);
      expect(log.events[1].metadata.commandId).toBe(retried.body.commandId);
      const health = await api.http.get<Health>('/health');
      expect({ status: health.status, health: health.body.status }).toEqual({ status: 200, health: 'ok' });
      // and the store itself holds each event once
      const stored = double.events().filter((event) => event.streamId === ticketStreamId(ticketId));
      expect(stored.map((event) => event.type)).toEqual(['TicketOpened', 'TicketClaimed']);
    },
    90_000,
  );
});
