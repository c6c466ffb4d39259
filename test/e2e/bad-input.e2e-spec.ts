import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ApiProcess, createApiKey, stopAll, type ErrorAnswer, type HttpAnswer, type HttpOptions } from '../support/api-process.js';
import { openTicketBody, type CommandAnswer } from '../support/ticket-log.js';
import type { ErrorCode } from '#api/platform/errors/error-codes.js';

/**
 * Bad input, every kind we know of: each is answered with its documented 4xx and code, names
 * the field where there is one, and writes nothing — the event store, the commands table and
 * every read-model view hold the same rows afterwards (counted, after the projections caught up).
 * Requests go without Idempotency-Key: with one, a 4xx answer is an answer and is stored (DESIGN §3).
 */

interface Counts {
  events: number;
  commands: number;
  readModels: Record<string, number>;
}

describe('bad input: a clear 4xx naming the field, and nothing written', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let pool: pg.Pool;
  let service: string;
  let importer: string;
  let analyst: string;
  let admin: string;
  let ticketId: string;
  let before: Counts;

  async function counts(): Promise<Counts> {
    const [events] = (await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows;
    const [commands] = (await pool.query<{ n: string }>('SELECT count(*) AS n FROM commands')).rows;
    const views = await pool.query<{ name: string; n: string }>(
      `SELECT table_name AS name,
              (xpath('/row/n/text()',
                     query_to_xml(format('SELECT count(*) AS n FROM analytics.%I', table_name), false, true, '')))[1]::text AS n
         FROM information_schema.tables WHERE table_schema = 'analytics' ORDER BY table_name`,
    );
    return {
      events: Number(events.n),
      commands: Number(commands.n),
      readModels: Object.fromEntries(views.rows.map((row) => [row.name, Number(row.n)])),
    };
  }

  async function projectionsCaughtUp(): Promise<void> {
    for (let attempt = 0; attempt < 300; attempt++) {
      const status = await api.http.get<{ head: string | null; projections: Array<{ state: string; position: string | null }> }>(
        '/projections',
        { key: analyst },
      );
      const live = status.body.projections.filter((projection) => projection.state === 'live');
      if (live.length > 0 && live.every((projection) => projection.position === status.body.head)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the projections did not catch up');
  }

  const post = (path: string, body: unknown, options: HttpOptions = {}) => api.http.post(path, body, { key: service, ...options });

  function expectRefused(answer: HttpAnswer, status: number, code: ErrorCode, field?: string): void {
    const body = answer.body as ErrorAnswer | undefined;
    expect({ status: answer.status, code: body?.code }).toEqual({ status, code });
    if (field !== undefined) expect(body?.errors?.map((error) => error.field)).toContain(field);
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2e_bad_input');
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    api = await ApiProcess.start({ databaseUrl: db.url, name: 'bad-input-api', env: { BODY_LIMIT: '64kb' } });
    [service, importer, analyst] = [
      await createApiKey(api, ['service']),
      await createApiKey(api, ['importer']),
      await createApiKey(api, ['analyst']),
    ];
    admin = api.adminKey;
    const opened = await api.http.post<CommandAnswer>('/tickets', openTicketBody(), { key: service });
    ticketId = opened.body.ticketId;
    expect((await post(`/tickets/${ticketId}/claim`, { userId: 'deniz' })).status).toBe(200);
    await projectionsCaughtUp();
    before = await counts();
    expect(before.events).toBe(2);
    expect(before.readModels.tickets).toBe(1);
  }, 180_000);

  afterAll(async () => {
    await stopAll(api);
    await pool?.end();
    await db?.drop();
  });

  describe('text no field may hold', () => {
    it('a NUL byte in a subject, a reason, a comment or a key name: 400 naming the field', async () => {
      expectRefused(await post('/tickets', openTicketBody({ subject: 'a\u0000b' })), 400, 'VALIDATION_FAILED', 'subject');
      expectRefused(
        await post(`/tickets/${ticketId}/route`, { toUnitId: 'billing', reason: 'x\u0000', userId: 'deniz' }),
        400,
        'VALIDATION_FAILED',
        'reason',
      );
      expectRefused(
        await post(`/tickets/${ticketId}/survey`, { score: 3, channel: 'sms', comment: '\u0000' }),
        400,
        'VALIDATION_FAILED',
        'comment',
      );
      expectRefused(
        await api.http.post('/admin/api-keys', { name: 'n\u0000', roles: ['service'] }, { key: admin }),
        400,
        'VALIDATION_FAILED',
        'name',
      );
    });

    it('an unpaired surrogate: 400 naming the field', async () => {
      expectRefused(
        await post('/tickets', undefined, {
          rawBody: JSON.stringify(openTicketBody({ subject: 'PLACEHOLDER' })).replace('PLACEHOLDER', '\\ud800'),
        }),
        400,
        'VALIDATION_FAILED',
        'subject',
      );
      expectRefused(
        await post(`/tickets/${ticketId}/hold`, undefined, { rawBody: '{"userId":"deniz","reason":"\\udc00 waiting"}' }),
        400,
        'VALIDATION_FAILED',
        'reason',
      );
    });

    it('a NUL in a query parameter: 400 naming it', async () => {
      expectRefused(await api.http.get('/reports/units?unit=%00', { key: analyst }), 400, 'VALIDATION_FAILED', 'unit');
    });
  });

  describe('the shape of the body', () => {
    it('JSON nested 5,000 deep: 400, refused by depth before anything walks it', async () => {
      const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
      const started = performance.now();
      const answer = await post('/tickets', undefined, { rawBody: deep });
      console.log(`bad-input spec: a body nested 5,000 deep answered ${answer.status} in ${(performance.now() - started).toFixed(1)} ms`);
      expectRefused(answer, 400, 'VALIDATION_FAILED');
      expect((answer.body as ErrorAnswer).errors?.[0].messages[0]).toMatch(/nested deeper than 32 levels/);
    });

    it('__proto__ and constructor fields are refused like any unknown field', async () => {
      expectRefused(
        await post('/tickets', undefined, { rawBody: JSON.stringify(openTicketBody()).replace('{', '{"__proto__":{"isAdmin":true},') }),
        400,
        'VALIDATION_FAILED',
        '__proto__',
      );
      expectRefused(
        await post(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: true, constructor: 'x' }),
        400,
        'VALIDATION_FAILED',
        'constructor',
      );
    });

    it('a JSON body sent as another content type: 415', async () => {
      expectRefused(
        await post('/tickets', undefined, { rawBody: JSON.stringify(openTicketBody()), headers: { 'content-type': 'text/plain' } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectRefused(
        await post('/tickets', undefined, { rawBody: 'channel=phone', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });

    it('malformed JSON: 400 INVALID_JSON; a body over the limit: 413', async () => {
      expectRefused(await post('/tickets', undefined, { rawBody: '{"channel": "phone",' }), 400, 'INVALID_JSON');
      expectRefused(await post('/tickets', openTicketBody({ subject: 'x'.repeat(70 * 1024) })), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('unknown, missing and wrong-typed fields: 400 naming each', async () => {
      expectRefused(await post('/tickets', openTicketBody({ colour: 'red' })), 400, 'VALIDATION_FAILED', 'colour');
      const { subject: _subject, ...withoutSubject } = openTicketBody();
      expectRefused(await post('/tickets', withoutSubject), 400, 'VALIDATION_FAILED', 'subject');
      expectRefused(await post(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: 'yes' }), 400, 'VALIDATION_FAILED', 'solution');
      expectRefused(await post(`/tickets/${ticketId}/survey`, { score: 9, channel: 'sms' }), 400, 'VALIDATION_FAILED', 'score');
    });
  });

  describe('ids, revisions and numbers', () => {
    it('a path id that is not a UUID: 400 naming id', async () => {
      expectRefused(await post('/tickets/not-a-uuid/claim', { userId: 'deniz' }), 400, 'VALIDATION_FAILED', 'id');
      expectRefused(await api.http.get('/tickets/1%00/events', { key: analyst }), 400, 'VALIDATION_FAILED', 'id');
    });

    it('a malformed If-Match: 400 INVALID_IF_MATCH; an If-Match on an open: 400 IF_MATCH_NOT_ALLOWED', async () => {
      expectRefused(
        await post(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: false }, { ifMatch: 'latest' }),
        400,
        'INVALID_IF_MATCH',
      );
      expectRefused(await post('/tickets', openTicketBody({ ticketId: randomUUID() }), { ifMatch: 0 }), 400, 'IF_MATCH_NOT_ALLOWED');
    });

    it('a stale If-Match: 409 REVISION_MISMATCH with the current revision', async () => {
      const stale = await post(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: false }, { ifMatch: 0 });
      expectRefused(stale, 409, 'REVISION_MISMATCH');
      expect((stale.body as ErrorAnswer).details).toEqual({ expectedRevision: 0, currentRevision: 1 });
    });

    it('numbers beyond their range in a query: 400 naming the parameter', async () => {
      expectRefused(
        await api.http.get(`/tickets/${ticketId}/events?fromRevision=1e18`, { key: analyst }),
        400,
        'VALIDATION_FAILED',
        'fromRevision',
      );
      expectRefused(
        await api.http.get(`/tickets/${ticketId}/events?maxCount=100000`, { key: analyst }),
        400,
        'VALIDATION_FAILED',
        'maxCount',
      );
      expectRefused(await api.http.get('/reports/tickets?unit=front&offset=1e18', { key: analyst }), 400, 'VALIDATION_FAILED', 'offset');
      expectRefused(await api.http.get('/reports/tickets?unit=front&limit=-1', { key: analyst }), 400, 'VALIDATION_FAILED', 'limit');
    });
  });

  describe('time', () => {
    it('an instant without an offset: 400 naming occurredAt (it would be read as UTC)', async () => {
      expectRefused(await post('/tickets', openTicketBody({ occurredAt: '2026-11-20T09:15:00' })), 400, 'VALIDATION_FAILED', 'occurredAt');
      expectRefused(
        await api.http.get(`/tickets/${ticketId}/state?at=2026-11-20T09:15:00`, { key: admin }),
        400,
        'VALIDATION_FAILED',
        'at',
      );
    });

    it('an instant before the earliest accepted, even from an importer: 422 OCCURRED_AT_TOO_EARLY', async () => {
      expectRefused(
        await post('/tickets', openTicketBody({ occurredAt: '1901-03-01T09:00:00Z' }), { key: importer }),
        422,
        'OCCURRED_AT_TOO_EARLY',
      );
    });

    it('an instant beyond the clock skew ahead, from anyone: 422 OCCURRED_AT_IN_FUTURE', async () => {
      const ahead = new Date(Date.now() + 60_000).toISOString();
      expectRefused(await post('/tickets', openTicketBody({ occurredAt: ahead }), { key: importer }), 422, 'OCCURRED_AT_IN_FUTURE');
      expectRefused(
        await post(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: false, occurredAt: ahead }),
        422,
        'OCCURRED_AT_IN_FUTURE',
      );
    });

    it('backdating by a service key: 403 BACKDATING_NOT_ALLOWED', async () => {
      expectRefused(
        await post('/tickets', openTicketBody({ occurredAt: new Date(Date.now() - 86_400_000).toISOString() })),
        403,
        'BACKDATING_NOT_ALLOWED',
      );
    });
  });

  describe('lifecycle abuse', () => {
    it('each broken rule answers its code', async () => {
      expectRefused(await post(`/tickets/${ticketId}/respond`, { userId: 'elif', solution: true }), 422, 'NOT_THE_HOLDER');
      expectRefused(await post(`/tickets/${ticketId}/claim`, { userId: 'elif' }), 409, 'TICKET_ALREADY_CLAIMED');
      expectRefused(await post(`/tickets/${ticketId}/resume`, { userId: 'deniz' }), 422, 'TICKET_NOT_ON_HOLD');
      expectRefused(await post(`/tickets/${ticketId}/reopen`, { reason: 'again' }), 422, 'TICKET_NOT_CLOSED');
      expectRefused(await post(`/tickets/${ticketId}/survey`, { score: 3, channel: 'sms' }), 422, 'TICKET_NEVER_CLOSED');
      expectRefused(
        await post(`/tickets/${ticketId}/route`, { toUnitId: 'front', reason: 'same', userId: 'deniz' }),
        422,
        'ROUTE_TO_SAME_UNIT',
      );
      expectRefused(await post(`/tickets/${randomUUID()}/claim`, { userId: 'deniz' }), 404, 'TICKET_NOT_FOUND');
      expectRefused(await post('/tickets', openTicketBody({ ticketId })), 409, 'TICKET_ALREADY_EXISTS');
    });
  });

  it('wrote nothing: the event store, the commands table and every read model hold what they held', async () => {
    await projectionsCaughtUp();
    expect(await counts()).toEqual(before);
  });
});
