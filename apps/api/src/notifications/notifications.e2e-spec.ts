import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyWebhookSignature } from '#automation';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ApiProcess, codeOf, createApiKey, stopAll, type HttpAnswer } from '#test/support/api-process.js';
import { openTicketBody } from '#test/support/ticket-log.js';

/**
 * Notifications over HTTP against the built API (PROJECTIONS=inline: the outbox projection and
 * the deliverer run in it): admin webhooks and their validation, the outbox's delivery state
 * paged and filtered, redelivery, roles, and the SSE stream live and resumed from Last-Event-ID.
 */

interface Received {
  key: string;
  kind: string;
  signature: string | undefined;
  body: string;
}

interface Notification {
  id: string;
  seq: number;
  kind: string;
  ticketId: string;
  unitId: string | null;
  payload: Record<string, unknown>;
  deliveries: Array<{ webhookId: string; status: string; attempts: number }>;
}

interface Page {
  notifications: Notification[];
  nextCursor: string | null;
}

interface StreamEvent {
  id: string;
  event: string;
  data: Notification;
}

/** Waits for `found` to hold, asking again every 100 ms; fails with `what` after 30 s. Not a timing assertion: a bound on a wait. */
async function eventually<T>(what: string, probe: () => Promise<T>, found: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (found(value)) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A Server-Sent Events client on node:http (fetch's answers are read whole by the spec set-up's
 * OpenAPI check, which an endless stream never ends).
 */
function openStream(base: string, path: string, key: string, lastEventId?: string) {
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  let status = 0;
  let contentType = '';
  let buffer = '';
  const url = new URL(path, base);
  let destroy = (): void => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      },
      (response: IncomingMessage) => {
        status = response.statusCode ?? 0;
        contentType = String(response.headers['content-type']);
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(
              frame
                .split('\n')
                .filter((line) => !line.startsWith(':'))
                .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
            );
            if (frame.startsWith(':')) comments.push(frame);
            else if (fields.data !== undefined)
              events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) as Notification });
          }
          if (buffer === '' || status !== 0) resolve();
        });
        response.on('error', () => undefined);
        // The first bytes (retry:) arrive once the stream has its start seq: only then do writes count as "after connecting".
      },
    );
    req.on('error', reject);
    req.end();
    destroy = () => req.destroy();
  });
  return { events, comments, ready, status: () => status, contentType: () => contentType, close: () => destroy() };
}

describe('notifications over HTTP', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let admin: string;
  let analyst: string;
  let service: string;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let secret: string;
  let webhookId: string;

  const get = <T>(path: string, key = admin) => api.http.get<T>(path, { key });
  const post = <T>(path: string, body: unknown, key = admin) => api.http.post<T>(path, body, { key });
  const del = <T>(path: string, key = admin) => api.http.request<T>('DELETE', path, undefined, { key });

  async function openAndRoute(toUnitId: string): Promise<string> {
    const opened = await post<{ ticketId: string }>('/tickets', openTicketBody({ unitId: 'front', customer: 'cust-e2e' }), service);
    expect(opened.status).toBe(201);
    const routed = await post(`/tickets/${opened.body.ticketId}/route`, { toUnitId, reason: 'their product' }, service);
    expect(routed.status).toBe(200);
    return opened.body.ticketId;
  }

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/hook') {
          received.push({
            key: String(req.headers['idempotency-key']),
            kind: String(req.headers['bildirim-event']),
            signature: req.headers['bildirim-signature'] as string | undefined,
            body: Buffer.concat(chunks).toString('utf8'),
          });
          res.writeHead(204).end();
        } else res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    db = await createTestDatabase('e2e_note');
    api = await ApiProcess.start({
      databaseUrl: db.url,
      name: 'notifications-api',
      env: { REFERENCE_MODE: 'open', WEBHOOK_RETRY_BASE: '50ms', WEBHOOK_RETRY_MAX: '200ms', WATCHDOG: 'off' },
    });
    admin = api.adminKey;
    analyst = await createApiKey(api, ['analyst']);
    service = await createApiKey(api, ['service']);
  }, 180_000);

  afterAll(async () => {
    await stopAll(api);
    await new Promise((resolve) => receiver?.close(resolve));
    await db?.drop();
  });

  it('creates a webhook answering its secret once, lists it without, and removes it', async () => {
    const created = await post<{ id: string; secret: string; kinds: string[] }>('/admin/webhooks', {
      url: 'http://127.0.0.1:9/x',
      kinds: ['ticket.closed'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: 'http://127.0.0.1:9/x', kinds: ['ticket.closed'], active: true });
    expect(created.body.secret).toMatch(/^whsec_/);
    const listed = await get<{ webhooks: Array<Record<string, unknown>> }>('/admin/webhooks');
    expect(listed.body.webhooks.map((w) => w.id)).toEqual([created.body.id]);
    expect(listed.body.webhooks[0]).not.toHaveProperty('secret');
    expect((await del(`/admin/webhooks/${created.body.id}`)).status).toBe(200);
    const again = await del(`/admin/webhooks/${created.body.id}`);
    expect([again.status, codeOf(again)]).toEqual([404, 'WEBHOOK_NOT_FOUND']);
    const bad = await del('/admin/webhooks/not-a-uuid');
    expect([bad.status, codeOf(bad)]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await get<{ webhooks: unknown[] }>('/admin/webhooks')).body.webhooks).toEqual([]);
  });

  it('refuses a bad url, kind, secret or field with 400 VALIDATION_FAILED naming it, and writes nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ url: 'ftp://example.com/hook' }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'javascript:alert(1)' }, 'url'],
      [{ url: receiverUrl, kinds: ['ticket.nope'] }, 'kinds'],
      [{ url: receiverUrl, secret: 'short' }, 'secret'],
      [{ url: receiverUrl, colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const answer = (await post('/admin/webhooks', body)) as HttpAnswer<{ errors?: Array<{ field: string }> }>;
      expect({ status: answer.status, code: codeOf(answer), fields: answer.body.errors?.map((e) => e.field) }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: [field],
      });
    }
    expect((await get<{ webhooks: unknown[] }>('/admin/webhooks')).body.webhooks).toEqual([]);
  });

  it('lets only admins manage webhooks and read the outbox; the event stream needs the analyst role', async () => {
    for (const answer of [
      await post('/admin/webhooks', { url: receiverUrl }, analyst),
      await get('/admin/webhooks', analyst),
      await get('/notifications', analyst),
      await post(`/notifications/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/redeliver`, {}, analyst),
    ]) {
      expect([answer.status, codeOf(answer)]).toEqual([403, 'FORBIDDEN_ROLE']);
    }
    const refused = openStream(api.http.baseUrl, '/events/stream', service);
    await refused.ready;
    expect(refused.status()).toBe(403);
    refused.close();
  });

  it('delivers what happens after a webhook is created, signed, and pages and filters the outbox with delivery state', async () => {
    const created = await post<{ id: string; secret: string }>('/admin/webhooks', { url: receiverUrl });
    [webhookId, secret] = [created.body.id, created.body.secret];
    const first = await openAndRoute('billing');
    const second = await openAndRoute('returns');
    const all = await eventually(
      'two routed notifications delivered',
      async () => (await get<Page>('/notifications?kind=ticket.routed')).body,
      (page) => page.notifications.length === 2 && page.notifications.every((n) => n.deliveries.some((d) => d.status === 'delivered')),
    );
    expect(all.notifications.map((n) => [n.ticketId, n.unitId])).toEqual([
      [second, 'returns'],
      [first, 'billing'],
    ]);
    expect(all.notifications[0].seq).toBeGreaterThan(all.notifications[1].seq);
    expect(all.notifications[0].deliveries).toEqual([
      expect.objectContaining({ webhookId, status: 'delivered', attempts: 1, lastStatus: 204 }),
    ]);

    const page1 = await get<Page>('/notifications?kind=ticket.routed&limit=1');
    expect(page1.body.notifications.map((n) => n.ticketId)).toEqual([second]);
    const page2 = await get<Page>(`/notifications?kind=ticket.routed&limit=1&cursor=${page1.body.nextCursor}`);
    expect({ tickets: page2.body.notifications.map((n) => n.ticketId), next: page2.body.nextCursor }).toEqual({
      tickets: [first],
      next: null,
    });
    expect((await get<Page>(`/notifications?ticketId=${first}`)).body.notifications.map((n) => n.kind)).toEqual(['ticket.routed']);
    expect((await get<Page>(`/notifications?webhookId=${webhookId}&status=delivered`)).body.notifications).toHaveLength(2);
    expect((await get<Page>(`/notifications?status=dead`)).body.notifications).toEqual([]);
    for (const query of ['status=lost', 'kind=ticket.lost', 'limit=0', 'limit=501', 'cursor=abc', 'ticketId=x', 'webhookId=y']) {
      const answer = await get(`/notifications?${query}`);
      expect([query, answer.status, codeOf(answer)]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }

    const requests = received.filter((r) => all.notifications.some((n) => n.id === r.key));
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(verifyWebhookSignature(secret, request.signature, request.body, Math.floor(Date.now() / 1000), 300)).toBe(true);
      expect(JSON.parse(request.body)).toMatchObject({ id: request.key, kind: request.kind });
    }
  });

  it('redelivers a notification under the same key, and answers 404 for an unknown notification or webhook', async () => {
    const newest = (await get<Page>('/notifications?kind=ticket.routed&limit=1')).body.notifications[0];
    const before = received.filter((r) => r.key === newest.id).length;
    const answer = await post<Notification>(`/notifications/${newest.id}/redeliver`, {});
    expect(answer.status).toBe(200);
    expect(answer.body.deliveries).toEqual([expect.objectContaining({ webhookId, status: 'pending', attempts: 0 })]);
    await eventually(
      'the redelivered request',
      async () => received.filter((r) => r.key === newest.id).length,
      (n) => n === before + 1,
    );
    const unknown = await post(`/notifications/6f1c2a4e-0000-4000-8000-000000000001/redeliver`, {});
    expect([unknown.status, codeOf(unknown)]).toEqual([404, 'NOTIFICATION_NOT_FOUND']);
    const unknownHook = await post(`/notifications/${newest.id}/redeliver?webhookId=6f1c2a4e-0000-4000-8000-000000000002`, {});
    expect([unknownHook.status, codeOf(unknownHook)]).toEqual([404, 'WEBHOOK_NOT_FOUND']);
  });

  it('streams a notification written after connecting, and resumes after Last-Event-ID with the filters', async () => {
    const live = openStream(api.http.baseUrl, '/events/stream', analyst);
    await live.ready;
    expect([live.status(), live.contentType()]).toEqual([200, 'text/event-stream; charset=utf-8']);
    const ticketId = await openAndRoute('billing');
    await eventually(
      'the routed event on the stream',
      async () => live.events.length,
      (n) => n >= 1,
    );
    live.close();
    expect(live.events.map((e) => [e.event, e.data.ticketId, e.data.unitId])).toEqual([['ticket.routed', ticketId, 'billing']]);
    const seq = Number(live.events[0].id);
    expect(live.events[0].data.seq).toBe(seq);

    // A client that saw the event before it: resumes with it, the returns routing before it filtered out.
    const resumed = openStream(
      api.http.baseUrl,
      '/events/stream?kinds=ticket.routed,ticket.closed&unitId=billing',
      analyst,
      String(seq - 2),
    );
    await resumed.ready;
    await eventually(
      'the resumed stream',
      async () => resumed.events.length,
      (n) => n >= 1,
    );
    resumed.close();
    expect(resumed.events.map((e) => [e.id, e.data.ticketId])).toEqual([[String(seq), ticketId]]);

    const bad = openStream(api.http.baseUrl, '/events/stream?kinds=ticket.nope', analyst);
    await bad.ready;
    expect(bad.status()).toBe(400);
    bad.close();
  });
});
