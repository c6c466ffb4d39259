import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ticketStreamId } from '#ticketing';
import { ApiProcess, createApiKey, stopAll } from '../support/api-process.js';
import { eventStoreVariants, type EventStoreUnderTest } from '../support/event-store-variants.js';
import { expectedLateDelays, loadGoldenCommands, loadGoldenExpected, toHttpRequest, type GoldenCommand } from '../support/golden-small.js';
import { requireTicketLog, type CommandAnswer, type LogEvent, type TicketState } from '../support/ticket-log.js';

/**
 * Acceptance: the golden-small workload replayed through the HTTP API with an importer key is
 * accepted command for command, and every stream holds exactly the delays KPIS.md derives for
 * phases completed late (derived independently in test/support/golden-small.ts). On either event store.
 */
describe.each(eventStoreVariants())('golden-small replayed over HTTP, events in $name', (variant) => {
  let db: TestDatabase | undefined;
  let store: EventStoreUnderTest;
  let api: ApiProcess;
  let importer: string;
  let auditor: string;
  const commands: GoldenCommand[] = loadGoldenCommands();
  const logs = new Map<string, LogEvent[]>();

  beforeAll(async () => {
    db = await createTestDatabase('e2e_golden');
    store = await variant.setUp(db.url);
    api = await ApiProcess.start({ databaseUrl: db.url, name: 'golden-api', env: store.env });
    importer = await createApiKey(api, ['importer']);
    auditor = await createApiKey(api, ['auditor']);
  }, 120_000);

  afterAll(async () => {
    await stopAll(api);
    await store?.tearDown();
    await db?.drop();
  });

  it('has the workload the fixture describes', () => {
    expect(commands).toHaveLength(216);
    expect(new Set(commands.map((c) => c.ticket)).size).toBe(36);
  });

  it('accepts every command, in order, with an importer key', async () => {
    const refused: string[] = [];
    for (const [index, command] of commands.entries()) {
      const request = toHttpRequest(command);
      const answer = await api.http.post<CommandAnswer | undefined>(`/tickets${request.path}`, request.body, {
        key: importer,
        idempotencyKey: `golden-small-${index}`,
      });
      const expected = command.cmd === 'open' ? 201 : 200;
      if (answer.status !== expected || answer.body?.ticketId !== command.ticket) {
        refused.push(`#${index} ${command.cmd} ${command.ticket} at ${command.at}: ${answer.status} ${answer.text}`);
      }
    }
    expect(refused).toEqual([]);
  }, 120_000);

  it('holds, in every stream, exactly the delays derived for phases completed late', async () => {
    const expected = expectedLateDelays(commands);
    const byDueAt = <T extends { dueAt: string; phase: string }>(a: T, b: T) =>
      a.dueAt.localeCompare(b.dueAt) || a.phase.localeCompare(b.phase);
    const mismatches: unknown[] = [];
    for (const ticket of new Set(commands.map((c) => c.ticket))) {
      const log = await requireTicketLog(api.http, auditor, ticket);
      logs.set(ticket, log.events);
      const actual = log.events
        .filter((e) => e.type === 'TicketDelayed')
        .map((e) => ({
          phase: e.data.phase as string,
          unitId: e.data.unitId as string,
          userId: (e.data.userId ?? null) as string | null,
          dueAt: new Date(e.data.dueAt as string).toISOString(),
        }))
        .sort(byDueAt);
      const wanted = expected
        .filter((d) => d.ticket === ticket)
        .map(({ phase, unitId, userId, dueAt }) => ({ phase, unitId, userId, dueAt }))
        .sort(byDueAt);
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) mismatches.push({ ticket, actual, expected: wanted });
    }
    expect(mismatches).toEqual([]);
    // the fixture has late phases of every kind, so an empty comparison cannot pass by accident
    expect(new Set(expected.map((d) => d.phase))).toEqual(new Set(['claim', 'response', 'resolution']));
  }, 60_000);

  it("agrees with the fixture's per-ticket facts: closed, reopened, escalated, request met", async () => {
    const disagreements: unknown[] = [];
    for (const expected of loadGoldenExpected().tickets) {
      const answer = await api.http.get<TicketState>(`/tickets/${expected.ticket}`, { key: auditor });
      expect(answer.status).toBe(200);
      const state = answer.body;
      const actual = {
        closed: state.status === 'closed',
        reopened: state.counts.reopens > 0,
        escalated: state.escalationLevel > 0,
        category: state.category,
        channel: state.channel,
        priority: state.priority,
        ...(expected.closed ? { request_met: state.lastClose?.requestMet } : {}),
      };
      const wanted = {
        closed: expected.closed,
        reopened: expected.reopened,
        escalated: expected.escalated,
        category: expected.category,
        channel: expected.channel,
        priority: expected.priority,
        ...(expected.closed ? { request_met: expected.request_met } : {}),
      };
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) disagreements.push({ ticket: expected.ticket, actual, expected: wanted });
    }
    expect(disagreements).toEqual([]);
  });

  it('keeps every stream in occurredAt order, revisions gapless, every command as it was sent', () => {
    expect(logs.size).toBe(36);
    for (const [ticket, events] of logs) {
      const times = events.map((e) => Date.parse(e.occurredAt));
      expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
      expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
      // every fixture command of this ticket left events stamped with its own instant
      const sent = commands.filter((c) => c.ticket === ticket).map((c) => new Date(c.at).toISOString());
      const stamped = new Set(events.map((e) => new Date(e.occurredAt).toISOString()));
      expect(sent.filter((at) => !stamped.has(at))).toEqual([]);
    }
  });

  it(`keeps the 36 tickets' events in ${variant.name}, and only there`, async () => {
    const streams = await store.ticketStreams();
    expect(streams.inUse).toEqual([...new Set(commands.map((c) => ticketStreamId(c.ticket)))].sort());
    expect(streams.other).toEqual([]);
  });
});
