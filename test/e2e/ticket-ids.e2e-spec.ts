import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ApiProcess, codeOf, createApiKey, stopAll } from '../support/api-process.js';
import { openTicketBody, type CommandAnswer, type TicketState } from '../support/ticket-log.js';

/** One ticket per id: a UUID compared case-insensitively (RFC 9562), kept in lower case. */
describe('ticket ids in any case', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let pool: pg.Pool;
  let service: string;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_ticket_ids');
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    api = await ApiProcess.start({ databaseUrl: db.url, name: 'ticket-ids-api' });
    service = await createApiKey(api, ['service']);
  }, 180_000);

  afterAll(async () => {
    await stopAll(api);
    await pool?.end();
    await db?.drop();
  });

  it('answers 409 to an open of an existing id in upper case, finds the ticket by either case, and keeps one stream', async () => {
    const lower = randomUUID();
    const upper = lower.toUpperCase();
    const opened = await api.http.post<CommandAnswer>('/tickets', openTicketBody({ ticketId: lower }), { key: service });
    expect(opened.status).toBe(201);

    const again = await api.http.post('/tickets', openTicketBody({ ticketId: upper, subject: 'a second ticket?' }), { key: service });
    expect({ status: again.status, code: codeOf(again) }).toEqual({ status: 409, code: 'TICKET_ALREADY_EXISTS' });

    const found = await api.http.get<TicketState>(`/tickets/${upper}`, { key: service });
    expect({ status: found.status, ticketId: found.body.ticketId, subject: found.body.subject }).toEqual({
      status: 200,
      ticketId: lower,
      subject: 'Invoice charged twice',
    });

    const claimed = await api.http.post<CommandAnswer>(`/tickets/${upper}/claim`, { userId: 'deniz' }, { key: service });
    expect({ status: claimed.status, ticketId: claimed.body.ticketId, revision: claimed.body.revision }).toEqual({
      status: 200,
      ticketId: lower,
      revision: 1,
    });

    const streams = await pool.query<{ stream_id: string; n: string }>(
      'SELECT stream_id, count(*) AS n FROM event_store.events WHERE lower(stream_id) = $1 GROUP BY stream_id',
      [`ticket-${lower}`],
    );
    expect(streams.rows).toEqual([{ stream_id: `ticket-${lower}`, n: '2' }]);
  });

  it('keeps a new id sent in upper case in lower case', async () => {
    const upper = randomUUID().toUpperCase();
    const opened = await api.http.post<CommandAnswer>('/tickets', openTicketBody({ ticketId: upper }), { key: service });
    expect({ status: opened.status, ticketId: opened.body.ticketId, location: opened.headers.get('location') }).toEqual({
      status: 201,
      ticketId: upper.toLowerCase(),
      location: `/tickets/${upper.toLowerCase()}`,
    });
  });
});
