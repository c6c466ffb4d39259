import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { parse } from 'yaml';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ticketStreamId } from '#ticketing';
import { ApiProcess, codeOf, createApiKey, stopAll, type HttpAnswer } from '../support/api-process.js';
import { openTicketBody } from '../support/ticket-log.js';

/**
 * Acceptance for issue 10 over HTTP, on the documented example (docs/examples/reference-data.yaml):
 * a fresh install runs open; once the example is imported it is strict — unknown names are
 * refused 422 naming the field and nothing is written, claims need a membership — and due
 * times come from the matching policy in the Istanbul office calendar, moved by the business
 * time spent on hold and kept by a reclassification. An API forced open takes the same commands.
 */

const EXAMPLE: unknown = parse(readFileSync(new URL('../../docs/examples/reference-data.yaml', import.meta.url), 'utf8'));

interface ErrorBody {
  code: string;
  details?: Record<string, unknown>;
}
interface TicketView {
  cycle: {
    policyId: string | null;
    responseClock: { targetSeconds: number; calendarId: string } | null;
    responseDueAt: string | null;
    resolutionDueAt: string | null;
  };
}

describe('reference data in ticket commands (strict and open modes) over HTTP', () => {
  let db: TestDatabase | undefined;
  let api: ApiProcess;
  let forcedOpen: ApiProcess;
  let admin: string;
  let service: string;
  let importer: string;
  let auditor: string;
  let pool: pg.Pool;

  const streamEvents = async (ticketId: string): Promise<number> => {
    const result = await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events WHERE stream_id = $1', [
      ticketStreamId(ticketId),
    ]);
    return Number(result.rows[0].n);
  };
  const expectRefused = async (answer: HttpAnswer, ticketId: string, code: string, field: string) => {
    expect([answer.status, codeOf(answer), (answer.body as ErrorBody).details?.field]).toEqual([422, code, field]);
    expect(await streamEvents(ticketId)).toBe(0);
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_ref_strict');
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    api = await ApiProcess.start({ databaseUrl: db.url, name: 'strict-api' });
    forcedOpen = await ApiProcess.start({
      databaseUrl: db.url,
      name: 'open-api',
      adminKey: api.adminKey,
      env: { REFERENCE_MODE: 'open' },
    });
    admin = api.adminKey;
    service = await createApiKey(api, ['service']);
    importer = await createApiKey(api, ['importer']);
    auditor = await createApiKey(api, ['auditor']);
  }, 180_000);

  afterAll(async () => {
    await stopAll(api, forcedOpen);
    await pool?.end();
    await db?.drop();
  });

  it('a fresh install is open: any names are accepted', async () => {
    const opened = await api.http.post('/tickets', openTicketBody({ unitId: 'anywhere', category: 'misc' }), { key: service });
    expect(opened.status).toBe(201);
  });

  it('imports the documented example, which makes the install strict', async () => {
    const imported = await api.http.request('PUT', '/admin/reference', JSON.stringify(EXAMPLE), { key: admin });
    expect(imported.status).toBe(200);
  });

  it.each([
    ['unitId', { unitId: 'nowhere' }],
    ['category', { category: 'misc' }],
    ['priority', { priority: 'p0' }],
    ['channel', { channel: 'fax' }],
  ])('refuses an open naming an unknown %s: 422 REFERENCE_UNKNOWN with the field, nothing written', async (field, overrides) => {
    const ticketId = randomUUID();
    const answer = await api.http.post('/tickets', openTicketBody({ ticketId, ...overrides }), { key: service });
    await expectRefused(answer, ticketId, 'REFERENCE_UNKNOWN', field);
  });

  it('refuses a claim by an unknown user and by a user of another unit, writing nothing', async () => {
    const ticketId = randomUUID();
    expect((await api.http.post('/tickets', openTicketBody({ ticketId }), { key: service })).status).toBe(201);
    const before = await streamEvents(ticketId);
    const unknown = await api.http.post(`/tickets/${ticketId}/claim`, { userId: 'mallory' }, { key: service });
    expect([unknown.status, codeOf(unknown), (unknown.body as ErrorBody).details?.field]).toEqual([422, 'REFERENCE_UNKNOWN', 'userId']);
    const stranger = await api.http.post(`/tickets/${ticketId}/claim`, { userId: 'mehmet' }, { key: service });
    expect([stranger.status, codeOf(stranger)]).toEqual([422, 'USER_NOT_IN_UNIT']);
    expect(await streamEvents(ticketId)).toBe(before);
    const member = await api.http.post(`/tickets/${ticketId}/claim`, { userId: 'deniz' }, { key: service });
    expect(member.status).toBe(200);
  });

  it('the API forced open (REFERENCE_MODE=open) takes the same commands', async () => {
    const ticketId = randomUUID();
    const answer = await forcedOpen.http.post('/tickets', openTicketBody({ ticketId, unitId: 'nowhere', category: 'misc' }), {
      key: service,
    });
    expect(answer.status).toBe(201);
    expect(await streamEvents(ticketId)).toBe(1);
  });

  it('due times in business time: billing-gold in the Istanbul calendar, a 2-business-hour hold, a reclassification', async () => {
    const ticketId = randomUUID();
    const command = async (path: string, body: Record<string, unknown>, occurredAt: string) => {
      const answer = await api.http.post(`/tickets${path}`, { ...body, occurredAt }, { key: importer });
      expect([answer.status, answer.text]).toEqual([path === '' ? 201 : 200, expect.any(String)]);
    };
    const cycle = async () => (await api.http.get<TicketView>(`/tickets/${ticketId}`, { key: auditor })).body.cycle;

    // Monday 16 March 2026, 09:00 Istanbul (06:00Z). wrong-invoice is under billing and the customer is gold → billing-gold:
    // response 2 business hours → 11:00 Istanbul; resolution 24 business hours (8 h a day: 09–12:30, 13:30–18) → Mon, Tue, Wed
    // end at Wed 18:00, due at the next opening, Thu 19 March 09:00 Istanbul (06:00Z).
    await command('', openTicketBody({ ticketId, category: 'wrong-invoice', customerTier: 'gold' }), '2026-03-16T06:00:00.000Z');
    expect(await cycle()).toMatchObject({
      policyId: 'billing-gold@1',
      responseClock: { targetSeconds: 7200, calendarId: 'istanbul-office@1' },
      responseDueAt: '2026-03-16T08:00:00.000Z',
      resolutionDueAt: '2026-03-19T06:00:00.000Z',
    });

    // On hold 10:00–12:00 Istanbul: 2 business hours. Each due moves 2 business hours: response 11:00 → 12:30 (1.5 h), lunch,
    // 13:30 → 14:00 (0.5 h) = 14:00 Istanbul (11:00Z); resolution Thu 09:00 → 11:00 (the half day 09:00–12:30 of 19 March).
    await command(`/${ticketId}/claim`, { userId: 'deniz' }, '2026-03-16T06:10:00.000Z');
    await command(`/${ticketId}/hold`, { userId: 'deniz', reason: 'waiting for the bank' }, '2026-03-16T07:00:00.000Z');
    await command(`/${ticketId}/resume`, { userId: 'deniz' }, '2026-03-16T09:00:00.000Z');
    expect(await cycle()).toMatchObject({ responseDueAt: '2026-03-16T11:00:00.000Z', resolutionDueAt: '2026-03-19T08:00:00.000Z' });

    // Reclassified at 13:30 Istanbul to `technical` → the catch-all policy `default`: response 4 business hours in the unit's
    // (front's) Istanbul calendar, replayed from the cycle's start with the hold kept: 4 h + the 2 on hold from 09:00 =
    // 09:00–12:30 (3.5 h) + 13:30–16:00 (2.5 h) → 16:00 Istanbul (13:00Z); resolution 72 calendar hours + the 2-hour hold →
    // Thu 19 March 08:00Z.
    await command(`/${ticketId}/reclassify`, { userId: 'deniz', category: 'technical' }, '2026-03-16T10:30:00.000Z');
    expect(await cycle()).toMatchObject({
      policyId: 'default@1',
      responseClock: { targetSeconds: 14400, calendarId: 'istanbul-office@1' },
      responseDueAt: '2026-03-16T13:00:00.000Z',
      resolutionDueAt: '2026-03-19T08:00:00.000Z',
    });
  });
});

describe('the names seen, before any projection has run', () => {
  let db: TestDatabase | undefined;
  let api: ApiProcess;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_ref_unprojected');
    api = await ApiProcess.start({ databaseUrl: db.url, name: 'unprojected-api', env: { PROJECTIONS: 'off' } });
  }, 120_000);

  afterAll(async () => {
    await stopAll(api);
    await db?.drop();
  });

  it('answers 503 PROJECTION_NOT_CAUGHT_UP naming what to start, not a bare 500', async () => {
    const answer = await api.http.get('/admin/reference/seen', { key: api.adminKey });
    expect([answer.status, codeOf(answer), answer.headers.get('retry-after')]).toEqual([503, 'PROJECTION_NOT_CAUGHT_UP', '5']);
    expect(answer.text).toContain('npm run projector');
  });
});
