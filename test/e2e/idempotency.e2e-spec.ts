import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ticketStreamId } from '#ticketing';
import { ApiProcess, createApiKey, stopAll, type HttpAnswer } from '../support/api-process.js';
import { eventStoreVariants, type EventStoreUnderTest } from '../support/event-store-variants.js';
import { asReplayed, openTicketBody, requireTicketLog, type CommandAnswer } from '../support/ticket-log.js';

/**
 * Acceptance: one command sent 10 times concurrently with one Idempotency-Key over two API
 * processes, and again after a restart — one set of events, ten identical answers; the same
 * key with another body is refused (DESIGN.md §3: 4xx answers are stored and replayed too;
 * the key is checked before If-Match; keys are scoped to the API key). On either event store.
 */
describe.each(eventStoreVariants())('idempotency over two API processes on one database, events in $name', (variant) => {
  let db: TestDatabase | undefined;
  let store: EventStoreUnderTest;
  let a: ApiProcess;
  let b: ApiProcess;
  let service: string;
  let otherService: string;
  let auditor: string;

  const send = (i: number, path: string, body: unknown, idempotencyKey: string, options: { key?: string; ifMatch?: number } = {}) =>
    (i % 2 === 0 ? a : b).http.post<CommandAnswer>(path, body, {
      key: options.key ?? service,
      idempotencyKey,
      ifMatch: options.ifMatch,
    });
  const tenTimes = (path: string, body: unknown, idempotencyKey: string) =>
    Promise.all(Array.from({ length: 10 }, (_, i) => send(i, path, body, idempotencyKey)));

  // what must be the same for every answer to one key: status and body, but for the replays' `replayed: true`
  const shape = (answer: HttpAnswer) => ({ status: answer.status, text: asReplayed(answer.text) });
  const replayedHeaders = (answers: HttpAnswer[]) =>
    answers.map((answer) => answer.headers.get('idempotent-replayed')).filter((v) => v === 'true').length;

  const openBody = openTicketBody({ subject: 'idempotent open', customer: 'cust-idem' });
  const claimBody = { userId: 'deniz' };
  let opened: HttpAnswer<CommandAnswer>;
  let claimed: HttpAnswer<CommandAnswer>;
  let ticketId: string;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_idem');
    store = await variant.setUp(db.url);
    a = await ApiProcess.start({ databaseUrl: db.url, name: 'idem-api-a', env: store.env });
    b = await ApiProcess.start({ databaseUrl: db.url, name: 'idem-api-b', adminKey: a.adminKey, env: store.env });
    service = await createApiKey(a, ['service']);
    otherService = await createApiKey(b, ['service']);
    auditor = await createApiKey(a, ['auditor']);
  }, 180_000);

  afterAll(async () => {
    await stopAll(a, b);
    await store?.tearDown();
    await db?.drop();
  });

  it('opens one ticket for ten concurrent sends of one key, with ten identical answers', async () => {
    const answers = await tenTimes('/tickets', openBody, 'idem-open-1');
    for (const answer of answers) expect(shape(answer)).toEqual(shape(answers[0]));
    opened = answers[0];
    expect(opened.status).toBe(201);
    expect(opened.body.events.map((e) => e.type)).toEqual(['TicketOpened']);
    expect(replayedHeaders(answers)).toBe(9);
    ticketId = opened.body.ticketId;

    const log = await requireTicketLog(a.http, auditor, ticketId);
    expect(log.events.map((e) => e.eventId)).toEqual(opened.body.events.map((e) => e.eventId));
    expect(log.events[0].metadata.commandId).toBe(opened.body.commandId);
  });

  it('claims once for ten concurrent sends of one key, with ten identical answers', async () => {
    const answers = await tenTimes(`/tickets/${ticketId}/claim`, claimBody, 'idem-claim-1');
    for (const answer of answers) expect(shape(answer)).toEqual(shape(answers[0]));
    claimed = answers[0];
    expect(claimed.status).toBe(200);
    expect(replayedHeaders(answers)).toBe(9);

    const log = await requireTicketLog(b.http, auditor, ticketId);
    expect(log.events.map((e) => e.type)).toEqual(['TicketOpened', 'TicketClaimed']);
    expect(log.events.filter((e) => e.metadata.commandId === claimed.body.commandId).map((e) => e.eventId)).toEqual(
      claimed.body.events.map((e) => e.eventId),
    );
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing written', async () => {
    const otherOpen = await send(0, '/tickets', { ...openBody, subject: 'another subject' }, 'idem-open-1');
    expect(otherOpen.status).toBe(422);
    expect(otherOpen.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    const otherClaim = await send(1, `/tickets/${ticketId}/claim`, { userId: 'ayse' }, 'idem-claim-1');
    expect(otherClaim.status).toBe(422);
    expect(otherClaim.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    // the key is bound to its command, not only to its body: another ticket's claim is another request
    const samePayloadOtherPath = await send(0, `/tickets/${randomUUID()}/claim`, claimBody, 'idem-claim-1');
    expect(samePayloadOtherPath.status).toBe(422);
    expect((await requireTicketLog(a.http, auditor, ticketId)).revision).toBe(1);
  });

  it('scopes keys to the API key: another key may use the same Idempotency-Key for its own command', async () => {
    const answer = await send(1, '/tickets', { ...openBody, subject: 'other caller' }, 'idem-open-1', { key: otherService });
    expect(answer.status).toBe(201);
    expect(answer.body.ticketId).not.toBe(ticketId);
    expect(answer.headers.get('idempotent-replayed')).not.toBe('true');
  });

  it('stores a 4xx answer and replays it, even when the command would now succeed', async () => {
    const lost = await send(0, `/tickets/${ticketId}/claim`, { userId: 'ayse' }, 'idem-lost-claim');
    expect(lost.status).toBe(409);
    expect(lost.body).toMatchObject({ code: 'TICKET_ALREADY_CLAIMED' });

    const released = await send(1, `/tickets/${ticketId}/release`, { userId: 'deniz', reason: 'shift end' }, 'idem-release-1');
    expect(released.status).toBe(200);

    const again = await send(1, `/tickets/${ticketId}/claim`, { userId: 'ayse' }, 'idem-lost-claim');
    expect(shape(again)).toEqual(shape(lost));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const log = await requireTicketLog(a.http, auditor, ticketId);
    expect(log.events.map((e) => e.type)).toEqual(['TicketOpened', 'TicketClaimed', 'TicketReleased']);

    const reclaimed = await send(0, `/tickets/${ticketId}/claim`, claimBody, 'idem-claim-2');
    expect(reclaimed.status).toBe(200);
  });

  it('checks the key before If-Match: a retry of a conditional command is replayed, not refused as stale', async () => {
    const before = (await requireTicketLog(a.http, auditor, ticketId)).revision;
    const body = { userId: 'deniz', solution: true };
    const first = await send(0, `/tickets/${ticketId}/respond`, body, 'idem-if-match', { ifMatch: before });
    expect(first.status).toBe(200);
    const retry = await send(1, `/tickets/${ticketId}/respond`, body, 'idem-if-match', { ifMatch: before });
    expect(shape(retry)).toEqual(shape(first));
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const stale = await send(1, `/tickets/${ticketId}/respond`, body, 'idem-if-match-2', { ifMatch: before });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ details: { currentRevision: before + 1 } });
  });

  it('answers the same after both processes restart, and with the same key only ever one set of events', async () => {
    await Promise.all([a.stop(), b.stop()]);
    [a, b] = await Promise.all([a.restart(), b.restart()]);

    const opens = await tenTimes('/tickets', openBody, 'idem-open-1');
    const claims = await tenTimes(`/tickets/${ticketId}/claim`, claimBody, 'idem-claim-1');
    for (const answer of opens) expect(shape(answer)).toEqual(shape(opened));
    for (const answer of claims) expect(shape(answer)).toEqual(shape(claimed));
    expect(replayedHeaders([...opens, ...claims])).toBe(20);

    const log = await requireTicketLog(b.http, auditor, ticketId);
    const perCommand = new Map<string, number>();
    for (const event of log.events) perCommand.set(event.metadata.commandId, (perCommand.get(event.metadata.commandId) ?? 0) + 1);
    expect(perCommand.get(opened.body.commandId)).toBe(1);
    expect(perCommand.get(claimed.body.commandId)).toBe(1);
    expect(log.events.map((e) => e.type)).toEqual(['TicketOpened', 'TicketClaimed', 'TicketReleased', 'TicketClaimed', 'TicketResponded']);
  }, 120_000);

  it(`keeps the ticket events in ${variant.name}, and only there`, async () => {
    const streams = await store.ticketStreams();
    expect(streams.inUse).toEqual(expect.arrayContaining([ticketStreamId(ticketId)]));
    expect(streams.other).toEqual([]);
  });
});
