import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ticketStreamId } from '#ticketing';
import { ApiProcess, codeOf, createApiKey, stopAll, strongAdminKey } from '../support/api-process.js';
import { eventStoreVariants, type EventStoreUnderTest } from '../support/event-store-variants.js';
import { openTicketBody, requireTicketLog, type CommandAnswer } from '../support/ticket-log.js';

/**
 * Acceptance: 50 concurrent claims of one pool ticket, spread over two API processes on one
 * database — exactly one TicketClaimed, 49 × 409 TICKET_ALREADY_CLAIMED, however the loss is
 * detected (decided against a loaded state, or a conflict on append). On either event store.
 */
describe.each(eventStoreVariants())('claim race over two API processes on one database, events in $name', (variant) => {
  let db: TestDatabase | undefined;
  let store: EventStoreUnderTest;
  const ticketIds: string[] = [];
  let a: ApiProcess;
  let b: ApiProcess;
  let service: string;
  let auditor: string;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_race');
    store = await variant.setUp(db.url);
    // Both start at once on the empty database, as a deployment scaled to two would: the
    // migrations must serialise themselves. One admin key: both serve one deployment.
    const adminKey = strongAdminKey();
    const started = await Promise.allSettled([
      ApiProcess.start({ databaseUrl: db.url, name: 'race-api-a', adminKey, env: store.env }),
      ApiProcess.start({ databaseUrl: db.url, name: 'race-api-b', adminKey, env: store.env }),
    ]);
    const [first, second] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    if (first === undefined || second === undefined) {
      await stopAll(first, second); // the one that did start (afterAll knows a and b only once both are up)
      throw started.map((s) => (s.status === 'rejected' ? s.reason : undefined)).find((reason) => reason !== undefined);
    }
    [a, b] = [first, second];
    service = await createApiKey(a, ['service']);
    auditor = await createApiKey(b, ['auditor']);
  }, 180_000);

  afterAll(async () => {
    await stopAll(a, b);
    await store?.tearDown();
    await db?.drop();
  });

  it.each([1, 2, 3])(
    'lets exactly one of 50 concurrent claimants win (round %i)',
    async (round) => {
      const opened = await a.http.post<CommandAnswer>('/tickets', openTicketBody({ subject: `claim race ${round}` }), {
        key: service,
        idempotencyKey: `race-open-${round}`,
      });
      expect(opened.status).toBe(201);
      const ticketId: string = opened.body.ticketId;
      ticketIds.push(ticketId);

      const claimants = Array.from({ length: 50 }, (_, i) => `agent-${round}-${i}`);
      const answers = await Promise.all(
        claimants.map((userId, i) =>
          (i % 2 === 0 ? a : b).http.post(
            `/tickets/${ticketId}/claim`,
            { userId },
            { key: service, idempotencyKey: `race-claim-${round}-${i}` },
          ),
        ),
      );

      const statuses = answers.map((answer) => answer.status);
      const winners = claimants.filter((_, i) => answers[i].status === 200);
      const losers = answers.filter((answer) => answer.status !== 200);
      expect({ statuses: count(statuses), winners: winners.length }).toEqual({ statuses: { 200: 1, 409: 49 }, winners: 1 });
      for (const answer of losers) {
        expect(answer.body).toMatchObject({ statusCode: 409, code: 'TICKET_ALREADY_CLAIMED', message: expect.any(String) });
      }
      // both processes produced losses, so the race really spanned two processes
      expect(new Set(answers.map((answer, i) => (answer.status === 409 ? i % 2 : -1)).filter((p) => p >= 0)).size).toBe(2);

      const log = await requireTicketLog(b.http, auditor, ticketId);
      const claims = log.events.filter((e) => e.type === 'TicketClaimed');
      expect(claims).toHaveLength(1);
      expect(claims[0].data.userId).toBe(winners[0]);
      expect(log.events.map((e) => e.type)).toEqual(['TicketOpened', 'TicketClaimed']);

      const winner = answers[claimants.indexOf(winners[0])];
      expect((winner.body as CommandAnswer).events.map((e) => e.eventId)).toEqual([claims[0].eventId]);
    },
    60_000,
  );

  it('refuses every loser with 409 also when the claimants send If-Match with the revision they saw', async () => {
    const opened = await a.http.post<CommandAnswer>('/tickets', openTicketBody({ subject: 'claim race with If-Match' }), { key: service });
    const ticketId: string = opened.body.ticketId;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? a : b).http.post(
          `/tickets/${ticketId}/claim`,
          { userId: `agent-if-match-${i}` },
          { key: service, ifMatch: opened.body.revision },
        ),
      ),
    );
    expect(count(answers.map((answer) => answer.status))).toEqual({ 200: 1, 409: 49 });
    const codes = count(answers.filter((answer) => answer.status === 409).map(codeOf));
    console.log(`claim race with If-Match: losers' codes ${JSON.stringify(codes)}`);
    // DESIGN.md §3: the loser of a claim hears TICKET_ALREADY_CLAIMED however the loss is detected
    expect(codes).toEqual({ TICKET_ALREADY_CLAIMED: 49 });
    const log = await requireTicketLog(b.http, auditor, ticketId);
    expect(log.events.map((e) => e.type)).toEqual(['TicketOpened', 'TicketClaimed']);
    ticketIds.push(ticketId);
  }, 60_000);

  it(`keeps the ticket events in ${variant.name}, and only there`, async () => {
    const streams = await store.ticketStreams();
    expect(ticketIds).toHaveLength(4);
    expect(streams.inUse).toEqual(expect.arrayContaining(ticketIds.map(ticketStreamId)));
    expect(streams.other).toEqual([]);
  });
});

function count(values: Array<number | string | undefined>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}
