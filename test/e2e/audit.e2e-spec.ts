import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { eventIdFor } from '#event-store';
import { PostgresEventStore } from '#event-store/postgres/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { encodeTicketEvent, ticketStreamId, type CommandEnvelope } from '#ticketing';
import { open } from '#ticketing/testing/commands.js';
import { ApiProcess, createApiKey, createApiKeyWithId, stopAll } from '../support/api-process.js';
import { asReplayed, openTicketBody, requireTicketLog, type CommandAnswer, type LogEvent, type LogPage } from '../support/ticket-log.js';

/**
 * The audit log tells who did it (the person who acted, `system` for what the system found,
 * the service and key always), a retry after a crash between append and stored answer gets the
 * original answer byte for byte, and the log pages through the store showing what this build
 * cannot decode as it is stored.
 */

describe('the audit log', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let pool: pg.Pool;
  let service: string;
  let importer: string;
  let auditor: string;
  let serviceKeyId: string;

  const actorsOf = (events: LogEvent[]) => events.map((event) => ({ type: event.type, actor: event.metadata.actor }));

  beforeAll(async () => {
    db = await createTestDatabase('e2e_audit');
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    api = await ApiProcess.start({ databaseUrl: db.url, name: 'audit-api' });
    ({ key: service, id: serviceKeyId } = await createApiKeyWithId(api, ['service'], 'crm'));
    importer = await createApiKey(api, ['importer'], 'history-import');
    auditor = await createApiKey(api, ['auditor']);
  }, 180_000);

  afterAll(async () => {
    await stopAll(api);
    await pool?.end();
    await db?.drop();
  });

  it('records the supervisor who assigns, and the agent who opened on a call, as the actor', async () => {
    const opened = await api.http.post<CommandAnswer>('/tickets', openTicketBody({ claimBy: 'deniz' }), { key: service });
    expect(opened.status).toBe(201);
    const ticketId = opened.body.ticketId;
    expect(
      (await api.http.post(`/tickets/${ticketId}/claim`, { userId: 'elif', assignedBy: 'supervisor-1' }, { key: service })).status,
    ).toBe(200);
    const log = await requireTicketLog(api.http, auditor, ticketId);
    const crm = { service: 'crm', apiKeyId: serviceKeyId };
    expect(actorsOf(log.events)).toEqual([
      { type: 'TicketOpened', actor: { kind: 'user', userId: 'deniz', ...crm } },
      { type: 'TicketClaimed', actor: { kind: 'user', userId: 'deniz', ...crm } },
      { type: 'TicketReleased', actor: { kind: 'user', userId: 'supervisor-1', ...crm } },
      { type: 'TicketClaimed', actor: { kind: 'user', userId: 'supervisor-1', ...crm } },
    ]);
    expect(log.events[3].data).toMatchObject({ userId: 'elif', assignedBy: 'supervisor-1' });
  });

  it('records a late completion as the user’s and the delay it found as the system’s', async () => {
    const fiveHoursAgo = Date.now() - 5 * 3600_000;
    const opened = await api.http.post<CommandAnswer>('/tickets', openTicketBody({ occurredAt: new Date(fiveHoursAgo).toISOString() }), {
      key: importer,
    });
    const ticketId = opened.body.ticketId;
    await api.http.post(
      `/tickets/${ticketId}/claim`,
      { userId: 'deniz', occurredAt: new Date(fiveHoursAgo + 60_000).toISOString() },
      { key: importer },
    );
    const late = await api.http.post<CommandAnswer>(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: true }, { key: service });
    expect(late.body.events.map((event) => event.type)).toEqual(['TicketDelayed', 'TicketResponded']);
    const log = await requireTicketLog(api.http, auditor, ticketId);
    expect(actorsOf(log.events.slice(2))).toEqual([
      { type: 'TicketDelayed', actor: { kind: 'system', userId: null, service: 'crm', apiKeyId: serviceKeyId } },
      { type: 'TicketResponded', actor: { kind: 'user', userId: 'deniz', service: 'crm', apiKeyId: serviceKeyId } },
    ]);
    expect(log.events[2].data).toMatchObject({ phase: 'response', userId: 'deniz' });
  });

  it('answers a retry after a crash between append and stored answer with the original answer, byte for byte', async () => {
    const key = `crash-retry-${randomUUID()}`;
    const first = await api.http.post<CommandAnswer>('/tickets', openTicketBody(), { key: service, idempotencyKey: key });
    expect(first.status).toBe(201);
    // What a kill between the append and the stored answer leaves: the events, no commands row.
    const deleted = await pool.query('DELETE FROM commands WHERE idempotency_key = $1', [key]);
    expect(deleted.rowCount).toBe(1);
    const retried = await api.http.post<CommandAnswer>('/tickets', openTicketBody(), { key: service, idempotencyKey: key });
    expect(retried.status).toBe(first.status);
    expect(retried.text).toBe(asReplayed(first.text));
    expect(retried.body.replayed).toBe(true);
    expect(retried.headers.get('location')).toBe(first.headers.get('location'));
    const again = await api.http.post('/tickets', openTicketBody(), { key: service, idempotencyKey: key });
    expect({ text: again.text, replayedHeader: again.headers.get('idempotent-replayed') }).toEqual({
      text: retried.text,
      replayedHeader: 'true',
    });
    expect((await requireTicketLog(api.http, auditor, first.body.ticketId)).events).toHaveLength(1);
  });

  it('pages the log through the store, and shows an event this build cannot decode as stored, flagged', async () => {
    const store = new PostgresEventStore(pool);
    const ticketId = randomUUID();
    const envelope: CommandEnvelope = {
      commandId: randomUUID(),
      correlationId: 'c',
      causationId: 'c',
      caller: { service: 'crm', apiKeyId: serviceKeyId },
    };
    const command = open();
    const openedEvent = encodeTicketEvent(
      command,
      { type: 'TicketOpened', data: { ticketId, ...openedData() }, occurredAt: new Date().toISOString() },
      envelope,
      eventIdFor(envelope.commandId, 0),
    );
    const fromTheFuture = {
      eventId: randomUUID(),
      type: 'TicketTagged',
      data: { tag: 'vip' },
      metadata: { occurredAt: new Date().toISOString(), schemaVersion: 99 },
    };
    await store.append(ticketStreamId(ticketId), [openedEvent as never, fromTheFuture], { expectedRevision: 'no_stream' });

    const page = await api.http.get<LogPage>(`/tickets/${ticketId}/events?fromRevision=1&maxCount=1`, { key: auditor });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ ticketId, revision: 1, nextFromRevision: null });
    expect(page.body.events).toEqual([
      expect.objectContaining({ revision: 1, type: 'TicketTagged', decodable: false, data: { tag: 'vip' } }),
    ]);
    const first = await api.http.get(`/tickets/${ticketId}/events?maxCount=1`, { key: auditor });
    expect(first.body).toMatchObject({
      revision: 1,
      nextFromRevision: 1,
      events: [expect.objectContaining({ type: 'TicketOpened', decodable: true })],
    });
  });
});

function openedData() {
  return {
    channel: 'phone',
    customer: 'c-1',
    customerTier: null,
    category: 'billing',
    priority: 'normal',
    product: null,
    subject: 's',
    unitId: 'front',
    calendarId: '24x7@1',
    policyId: null,
    claimClock: null,
    responseClock: null,
    resolutionClock: null,
    claimDueAt: null,
    responseDueAt: null,
    resolutionDueAt: null,
  };
}
