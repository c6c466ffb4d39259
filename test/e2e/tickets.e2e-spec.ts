import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, get as httpGet } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ticketStreamId } from '#ticketing';
import { ApiProcess, createApiKey, REPO_ROOT, stopAll, type ErrorAnswer, type HttpAnswer } from '../support/api-process.js';
import { eventStoreVariants, type EventStoreUnderTest } from '../support/event-store-variants.js';
import {
  openTicketBody,
  readTicketLog,
  requireTicketLog,
  type CommandAnswer,
  type LogPage,
  type TicketState,
  type TicketStateAt,
} from '../support/ticket-log.js';

/** The README's journey with curl, and the error contract of the ticket endpoints (DESIGN.md §9, §10), on either event store. */
describe.each(eventStoreVariants())('tickets over HTTP, events in $name', (variant) => {
  let db: TestDatabase | undefined;
  let store: EventStoreUnderTest;
  let api: ApiProcess;
  let service: string;
  let importer: string;
  let analyst: string;
  let auditor: string;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_tickets');
    store = await variant.setUp(db.url);
    api = await ApiProcess.start({ databaseUrl: db.url, name: 'tickets-api', env: store.env });
    [service, importer, analyst, auditor] = await Promise.all([
      createApiKey(api, ['service']),
      createApiKey(api, ['importer']),
      createApiKey(api, ['analyst']),
      createApiKey(api, ['auditor']),
    ]);
  }, 120_000);

  afterAll(async () => {
    await stopAll(api);
    await store?.tearDown();
    await db?.drop();
  });

  const http = () => api.http;
  const revisionOf = async (ticketId: string) => (await requireTicketLog(http(), auditor, ticketId)).revision;

  it("runs the README's curl journey as written, against the real process", async () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf("## A ticket's life with curl"));
    const script = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
    if (script === undefined) throw new Error('README.md has no bash block after "## A ticket\'s life with curl"');
    // Only the two placeholders change. curl answers without a newline, so each answer gets
    // one, and its status goes to stderr, line for line.
    const runnable = [
      'curl() { command curl -w "%{stderr}%{http_code}\\n" "$@"; echo; }',
      script.replace(/^ADMIN=.*$/m, `ADMIN=${api.adminKey}`).replace(/^API=.*$/m, `API=${api.baseUrl}`),
    ].join('\n');
    // A user types these within a second or so: start at the top of a second, as a script run would
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', runnable], { cwd: REPO_ROOT, timeout: 60_000 });
    const statuses = stderr.split('\n').filter((line) => /^\d{3}$/.test(line));
    const bodies = stdout.split('\n').filter((line) => line.trim() !== '');
    expect(statuses).toHaveLength(11);
    // keys: 201 201 (their bodies go to node, not to stdout); then the commands and reads
    expect(statuses.slice(2).map((status, i) => `${status} ${status.startsWith('2') ? '' : bodies[i]}`.trim())).toEqual([
      '201',
      '200',
      '200',
      '200',
      '200',
      '200',
      '200',
      '200',
      '200',
    ]);
    const answers: unknown[] = bodies.map((line) => JSON.parse(line));
    // open, route, claim, respond, close, survey; then the state, the log and the state at an instant
    const commands = answers.slice(0, 6) as CommandAnswer[];
    const [state, log, stateAt] = answers.slice(6) as [TicketState, LogPage, TicketStateAt];
    const opened = commands[0];
    expect(commands.map((a) => a.revision)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(state).toMatchObject({ ticketId: opened.ticketId, status: 'closed', unitId: 'billing', revision: 5 });
    expect(log.events.map((e) => e.type)).toEqual([
      'TicketOpened',
      'TicketRouted',
      'TicketClaimed',
      'TicketResponded',
      'TicketClosed',
      'TicketSurveyed',
    ]);
    expect(stateAt).toMatchObject({ ticketId: opened.ticketId, revision: 5 });
  });

  it('keeps an idle keep-alive connection for 65 s, longer than clients and load balancers (60 s), and says so', async () => {
    const header = await new Promise<string | undefined>((resolve, reject) => {
      const agent = new HttpAgent({ keepAlive: true });
      httpGet(`${api.baseUrl}/health`, { agent }, (response) => {
        response.resume();
        response.on('end', () => {
          agent.destroy();
          resolve(response.headers['keep-alive']?.toString());
        });
      }).on('error', reject);
    });
    expect(header).toBe('timeout=65');
  });

  describe('the journey: open, route, claim, respond, close, survey, then the log and the state at an instant', () => {
    const t0 = Date.now() - 3 * 60 * 60 * 1000;
    const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    let ticketId: string;
    const answers: Array<HttpAnswer<CommandAnswer>> = [];

    it('runs the commands, each answered with the ticket, the new revision and a string position', async () => {
      const opened = await http().post<CommandAnswer>('/tickets', openTicketBody({ occurredAt: at(0) }), {
        key: importer,
        idempotencyKey: randomUUID(),
      });
      expect(opened.status).toBe(201);
      ticketId = opened.body.ticketId;
      expect(ticketId).toMatch(/^[0-9a-f-]{36}$/);
      answers.push(opened);
      const steps: Array<[string, Record<string, unknown>]> = [
        ['route', { toUnitId: 'billing', reason: 'invoice question', occurredAt: at(10) }],
        ['claim', { userId: 'selin', occurredAt: at(20) }],
        ['respond', { userId: 'selin', solution: true, occurredAt: at(40) }],
        ['close', { userId: 'selin', resolution: 'resolved', requestMet: true, occurredAt: at(60) }],
        [
          'survey',
          { score: 5, resolved: true, resolvedOnFirstContact: true, channel: 'sms', comment: 'quick and kind', occurredAt: at(70) },
        ],
      ];
      for (const [command, body] of steps) {
        const answer = await http().post<CommandAnswer>(`/tickets/${ticketId}/${command}`, body, {
          key: importer,
          idempotencyKey: randomUUID(),
        });
        expect({ command, status: answer.status }).toEqual({ command, status: 200 });
        answers.push(answer);
      }
      expect(answers.map((a) => a.body.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      for (const answer of answers) {
        expect(answer.body).toMatchObject({ ticketId, replayed: false });
        expect(typeof answer.body.commandId).toBe('string');
        expect(typeof answer.body.position).toBe('string');
        expect(answer.body.events.at(-1)?.revision).toBe(answer.body.revision);
      }
      // positions are opaque (only the store orders them), but each command's is its own
      expect(new Set(answers.map((a) => a.body.position)).size).toBe(answers.length);
    });

    it('shows the current state to a service key', async () => {
      const state = await http().get<TicketState>(`/tickets/${ticketId}`, { key: service });
      expect(state.status).toBe(200);
      expect(state.body).toMatchObject({
        ticketId,
        revision: 5,
        status: 'closed',
        unitId: 'billing',
        channel: 'phone',
        category: 'wrong-invoice',
      });
    });

    it('gives the auditor the full log with metadata', async () => {
      const log = await http().get<LogPage>(`/tickets/${ticketId}/events`, { key: auditor });
      expect(log.status).toBe(200);
      expect(log.body).toMatchObject({ ticketId, revision: 5, nextFromRevision: null });
      const events = log.body.events;
      expect(events.map((e) => e.type)).toEqual([
        'TicketOpened',
        'TicketRouted',
        'TicketClaimed',
        'TicketResponded',
        'TicketClosed',
        'TicketSurveyed',
      ]);
      expect(events.map((e) => e.occurredAt)).toEqual([at(0), at(10), at(20), at(40), at(60), at(70)]);
      for (const [i, event] of events.entries()) {
        expect(event.revision).toBe(i);
        expect(typeof event.position).toBe('string');
        expect(event.eventId).toBe(answers[i].body.events[0].eventId);
        expect(event.position).toBe(answers[i].body.position);
        expect(Date.parse(event.recordedAt)).toBeGreaterThan(t0);
        expect(event.metadata).toMatchObject({
          eventId: event.eventId,
          commandId: answers[i].body.commandId,
          occurredAt: at([0, 10, 20, 40, 60, 70][i]),
        });
        expect(typeof event.metadata.correlationId).toBe('string');
        expect(typeof event.metadata.causationId).toBe('string');
        expect(event.metadata.actor).toBeDefined();
        expect(event.metadata.schemaVersion).toBeDefined();
      }
      expect(events[1].data).toMatchObject({ fromUnitId: 'front', toUnitId: 'billing', reason: 'invoice question' });
      expect(events[2].data).toMatchObject({ userId: 'selin', unitId: 'billing' });
      expect(events[0].data).toMatchObject({ claimDueAt: at(30), responseDueAt: at(240), resolutionDueAt: at(3 * 24 * 60) });
      expect(events[2].metadata.actor).toMatchObject({ userId: 'selin' });
    });

    it('pages the log with fromRevision and maxCount', async () => {
      const first = await http().get<LogPage>(`/tickets/${ticketId}/events?maxCount=4`, { key: auditor });
      expect(first.body.events.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      expect(first.body.nextFromRevision).toBe(4);
      const rest = await http().get<LogPage>(`/tickets/${ticketId}/events?fromRevision=4&maxCount=4`, { key: auditor });
      expect(rest.body.events.map((e) => e.revision)).toEqual([4, 5]);
      expect(rest.body.nextFromRevision).toBeNull();
    });

    it('replays the state at an instant in the middle of the history', async () => {
      const middle = await http().get<TicketStateAt>(`/tickets/${ticketId}/state?at=${encodeURIComponent(at(30))}`, { key: auditor });
      expect(middle.status).toBe(200);
      expect(middle.body).toMatchObject({
        ticketId,
        revision: 2,
        state: { revision: 2, status: expect.anything(), unitId: 'billing', holder: 'selin' },
      });
      expect(middle.body.state.cycle.respondedAt).toBeNull();

      const exactlyAtRoute = await http().get(`/tickets/${ticketId}/state?at=${encodeURIComponent(at(10))}`, { key: auditor });
      expect(exactlyAtRoute.body).toMatchObject({ revision: 1, state: { unitId: 'billing', holder: null } });

      const beforeOpening = await http().get(`/tickets/${ticketId}/state?at=${encodeURIComponent(at(-1))}`, { key: auditor });
      expect(beforeOpening.status).toBe(404);

      const badInstant = await http().get(`/tickets/${ticketId}/state?at=yesterday`, { key: auditor });
      expect(badInstant.status).toBe(400);
    });

    it(`keeps the journey's events in ${variant.name}, and only there`, async () => {
      const streams = await store.ticketStreams();
      expect(streams.inUse).toContain(ticketStreamId(ticketId));
      expect(streams.other).toEqual([]);
    });
  });

  describe('the error contract: every refusal has its status and code, and writes nothing', () => {
    let ticketId: string;

    beforeAll(async () => {
      const opened = await http().post<CommandAnswer>('/tickets', openTicketBody({ claimBy: 'deniz' }), { key: service });
      expect(opened.status).toBe(201);
      ticketId = opened.body.ticketId;
    });

    /** Sends a refused command and checks nothing was written. */
    const refused = async (path: string, body: unknown, options: Parameters<ReturnType<typeof http>['post']>[2] = {}) => {
      const before = await revisionOf(ticketId);
      const answer = await http().post<ErrorAnswer>(path, body, { key: service, ...options });
      expect(await revisionOf(ticketId)).toBe(before);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.body).toMatchObject({ statusCode: answer.status, code: expect.any(String), message: expect.any(String) });
      return answer;
    };
    const fieldsOf = (answer: HttpAnswer<ErrorAnswer>) => new Set((answer.body.errors ?? []).map((e) => e.field));

    it('400 names each invalid field', async () => {
      const answer = await refused('/tickets', {
        channel: 'by phone',
        customer: '',
        category: 7,
        priority: 'normal',
        subject: 'x'.repeat(501),
        occurredAt: 'monday',
      });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(answer)).toEqual(new Set(['channel', 'customer', 'category', 'subject', 'unitId', 'occurredAt']));

      const claim = await refused(`/tickets/${ticketId}/claim`, { userId: 42 });
      expect(claim.status).toBe(400);
      expect(fieldsOf(claim)).toEqual(new Set(['userId']));

      const survey = await refused(`/tickets/${ticketId}/survey`, { score: 9, channel: 'sms', resolved: 'yes' });
      expect(fieldsOf(survey)).toEqual(new Set(['score', 'resolved']));
    });

    it('400 rejects unknown fields, malformed JSON, and a ticket id that is not a UUID', async () => {
      const unknown = await refused('/tickets', openTicketBody({ color: 'red' }));
      expect(unknown.status).toBe(400);
      expect(fieldsOf(unknown)).toEqual(new Set(['color']));

      const respondUnknown = await refused(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: true, sentiment: 'happy' });
      expect(respondUnknown.status).toBe(400);
      expect(fieldsOf(respondUnknown)).toEqual(new Set(['sentiment']));

      const malformed = await refused(`/tickets/${ticketId}/claim`, undefined, { rawBody: '{"userId": ' });
      expect(malformed.status).toBe(400);

      const notUuid = await http().post('/tickets/not-a-uuid/claim', { userId: 'ayse' }, { key: service });
      expect(notUuid.status).toBe(400);
    });

    it('413 for a body over the limit', async () => {
      const answer = await refused('/tickets', openTicketBody({ subject: 'x'.repeat(2 * 1024 * 1024) }));
      expect(answer.status).toBe(413);
    });

    it('401 without a key and with a bad key', async () => {
      for (const key of [undefined, 'not-a-key', `${service}x`]) {
        const answer = await refused(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: true }, { key });
        expect(answer.status).toBe(401);
      }
      const noHeader = await fetch(`${api.baseUrl}/tickets/${ticketId}`);
      expect(noHeader.status).toBe(401);
      const basic = await fetch(`${api.baseUrl}/tickets/${ticketId}`, {
        headers: { authorization: `Basic ${Buffer.from(`x:${service}`).toString('base64')}` },
      });
      expect(basic.status).toBe(401);
      const health = await fetch(`${api.baseUrl}/health`);
      expect(health.status).toBe(200);
      const docs = await fetch(`${api.baseUrl}/docs`);
      expect(docs.status).toBe(200);
    });

    it('403 for a role that may not', async () => {
      const analystCommand = await refused(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: true }, { key: analyst });
      expect(analystCommand.status).toBe(403);
      const auditorCommand = await refused('/tickets', openTicketBody(), { key: auditor });
      expect(auditorCommand.status).toBe(403);
      const serviceLog = await http().get(`/tickets/${ticketId}/events`, { key: service });
      expect(serviceLog.status).toBe(403);
      const serviceKeys = await http().post('/admin/api-keys', { name: 'sneaky', roles: ['admin'] }, { key: service });
      expect(serviceKeys.status).toBe(403);
    });

    it('403 BACKDATING_NOT_ALLOWED for a service stating occurredAt a day back; an importer may', async () => {
      const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString();
      const answer = await refused('/tickets', openTicketBody({ occurredAt: dayAgo }));
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('BACKDATING_NOT_ALLOWED');
      const onTicket = await refused(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: true, occurredAt: dayAgo });
      expect(onTicket.body.code).toBe('BACKDATING_NOT_ALLOWED');
      const future = await refused(`/tickets/${ticketId}/respond`, {
        userId: 'deniz',
        solution: true,
        occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(future.status).toBe(422);
      const imported = await http().post('/tickets', openTicketBody({ occurredAt: dayAgo }), { key: importer });
      expect(imported.status).toBe(201);
    });

    it('404 for an unknown ticket', async () => {
      const unknown = randomUUID();
      for (const answer of [
        await http().get(`/tickets/${unknown}`, { key: service }),
        await http().get(`/tickets/${unknown}/events`, { key: auditor }),
        await http().get(`/tickets/${unknown}/state?at=${encodeURIComponent(new Date().toISOString())}`, { key: auditor }),
        await http().post(`/tickets/${unknown}/claim`, { userId: 'ayse' }, { key: service }),
      ]) {
        expect(answer.status).toBe(404);
        expect(answer.body).toMatchObject({ statusCode: 404, code: 'TICKET_NOT_FOUND' });
      }
      expect(await readTicketLog(http(), auditor, unknown)).toBeUndefined();
    });

    it('409 for a stale If-Match, with the current revision', async () => {
      const current = await revisionOf(ticketId);
      const answer = await refused(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: false }, { ifMatch: current - 1 });
      expect(answer.status).toBe(409);
      expect(answer.body.details).toMatchObject({ currentRevision: current });
      const ok = await http().post<CommandAnswer>(
        `/tickets/${ticketId}/escalate`,
        { userId: 'deniz', level: 1, reason: 'vip' },
        { key: service, ifMatch: current },
      );
      expect(ok.status).toBe(200);
      expect(ok.body.revision).toBe(current + 1);
    });

    it('409 TICKET_ALREADY_CLAIMED for a lost claim', async () => {
      const answer = await refused(`/tickets/${ticketId}/claim`, { userId: 'ayse' });
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('TICKET_ALREADY_CLAIMED');
    });

    it('422 for a lifecycle rule, with its code', async () => {
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['respond', { userId: 'ayse', solution: true }, 'NOT_THE_HOLDER'],
        ['resume', { userId: 'deniz' }, 'TICKET_NOT_ON_HOLD'],
        ['survey', { score: 4, channel: 'sms' }, 'TICKET_NEVER_CLOSED'],
        ['reopen', { reason: 'called back' }, 'TICKET_NOT_CLOSED'],
        ['route', { toUnitId: 'front', reason: 'back', userId: 'deniz' }, 'ROUTE_TO_SAME_UNIT'],
        ['escalate', { userId: 'deniz', level: 1, reason: 'again' }, 'ESCALATION_LEVEL_NOT_HIGHER'],
      ];
      for (const [command, body, code] of cases) {
        const answer = await refused(`/tickets/${ticketId}/${command}`, body);
        expect({ command, status: answer.status, code: answer.body.code }).toEqual({ command, status: 422, code });
      }
      const openedAgain = await refused('/tickets', openTicketBody({ ticketId }));
      expect(openedAgain.status).toBe(409);
      expect(openedAgain.body.code).toBe('TICKET_ALREADY_EXISTS');
    });
  });
});
