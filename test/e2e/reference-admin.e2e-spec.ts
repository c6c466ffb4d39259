import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ApiProcess, codeOf, createApiKey, stopAll, type HttpAnswer, type HttpClient } from '../support/api-process.js';
import { eventStoreVariants, type EventStoreUnderTest } from '../support/event-store-variants.js';
import { openTicketBody } from '../support/ticket-log.js';

/**
 * Acceptance for the reference-data admin API (issue 10) over two API processes on either event
 * store: a whole document imported, exported back as it was, imported again as a no-op; a change
 * made through one process is in the other's answers as soon as it answered; rules refuse with
 * the field; Idempotency-Key replays; names ticket commands used are listed, paged.
 */

const DOCUMENT = {
  calendars: {
    istanbul: [
      {
        name: 'Istanbul office hours',
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        definition: {
          zone: 'Europe/Istanbul',
          weekly: {
            mon: [
              ['09:00', '12:30'],
              ['13:30', '18:00'],
            ],
            tue: [['09:00', '18:00']],
          },
          overrides: { '2026-04-23': [] },
        },
      },
    ],
  },
  units: {
    front: { name: 'Front office', calendar: 'istanbul', parentUnit: null, escalationContacts: ['lead@example.com'] },
    billing: { name: 'Billing', calendar: null, parentUnit: 'front', escalationContacts: [] },
  },
  users: { deniz: { name: 'Deniz', memberships: [{ unit: 'front', supervisor: true }] } },
  categories: { billing: { name: 'Billing', parent: null }, 'wrong-invoice': { name: 'Wrong invoice', parent: 'billing' } },
  priorities: { normal: { name: 'Normal', rank: 2 } },
  channels: { phone: { name: 'Phone' } },
  customerTiers: { gold: { name: 'Gold', rank: 1 } },
  slaPolicies: {
    'billing-normal': [
      {
        name: 'Billing, normal',
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        order: 1,
        match: { category: 'billing', priority: 'normal' },
        targets: { claim: { seconds: 1800, time: 'business' }, response: { seconds: 14400, time: 'business' }, resolution: null },
        calendar: null,
      },
    ],
  },
  escalationRules: {
    'late-billing': [
      {
        name: 'Late billing responses',
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        order: 1,
        match: { category: 'billing' },
        phase: 'response',
        levels: [
          { level: 1, afterSeconds: 0, to: { supervisorOf: null }, route: false },
          { level: 2, afterSeconds: 3600, to: { unit: 'billing' }, route: true },
        ],
      },
    ],
  },
};
const ENTITIES = 11;

interface Change {
  written: number;
  unchanged: number;
}

describe.each(eventStoreVariants())('the reference-data admin API, events in $name', (variant) => {
  let db: TestDatabase | undefined;
  let store: EventStoreUnderTest;
  let a: ApiProcess;
  let b: ApiProcess;
  let admin: string;
  let service: string;
  const put = (http: HttpClient, path: string, body: unknown, idempotencyKey?: string) =>
    http.request<Change>('PUT', path, JSON.stringify(body), { key: admin, idempotencyKey });
  const del = (http: HttpClient, path: string) => http.request<Change>('DELETE', path, undefined, { key: admin });

  beforeAll(async () => {
    db = await createTestDatabase('e2e_ref');
    store = await variant.setUp(db.url);
    // Open mode: the ticket commands below use names on purpose that the document does not define.
    const env = { ...store.env, REFERENCE_MODE: 'open' };
    a = await ApiProcess.start({ databaseUrl: db.url, name: 'ref-api-a', env });
    b = await ApiProcess.start({ databaseUrl: db.url, name: 'ref-api-b', adminKey: a.adminKey, env });
    admin = a.adminKey;
    service = await createApiKey(a, ['service']);
  }, 180_000);

  afterAll(async () => {
    await stopAll(a, b);
    await store?.tearDown();
    await db?.drop();
  });

  it('imports a whole document, answers it back as it was from the other process, and a second import writes nothing', async () => {
    const first = await put(a.http, '/admin/reference', DOCUMENT);
    expect({ status: first.status, body: first.body }).toEqual({ status: 200, body: { written: ENTITIES, unchanged: 0 } });
    const exported = await b.http.get('/admin/reference', { key: admin });
    expect(exported.body).toEqual(DOCUMENT);
    const again = await put(b.http, '/admin/reference', exported.body);
    expect(again.body).toEqual({ written: 0, unchanged: ENTITIES });
  });

  it('a change through one process is in the other’s very next answer (read-your-writes)', async () => {
    for (let round = 1; round <= 5; round++) {
      const definition = { name: `Phone, round ${round}` };
      expect((await put(a.http, '/admin/reference/channel/phone', { definition })).body).toMatchObject({ written: 1 });
      const listed = await b.http.get<{ items: Record<string, unknown> }>('/admin/reference/channel', { key: admin });
      expect(listed.body.items.phone).toEqual(definition);
    }
  });

  it('refuses a broken link with its field and writes nothing; a path id with a slash works URL-encoded', async () => {
    const bad = await put(a.http, '/admin/reference/user/ayse', {
      definition: { name: 'Ayşe', memberships: [{ unit: 'ghost', supervisor: false }] },
    });
    expect({ status: bad.status, code: codeOf(bad), field: (bad.body as { details?: { field?: string } }).details?.field }).toEqual({
      status: 422,
      code: 'REFERENCE_UNKNOWN_LINK',
      field: 'definition.memberships[0].unit',
    });
    const badDocument = await put(a.http, '/admin/reference', {
      units: { x: { name: 'X', calendar: 'nowhere', parentUnit: null, escalationContacts: [] } },
    });
    expect([badDocument.status, (badDocument.body as { details?: { field?: string } }).details?.field]).toEqual([422, 'units.x.calendar']);
    const users = await a.http.get<{ items: Record<string, unknown> }>('/admin/reference/user', { key: admin });
    expect(Object.keys(users.body.items)).toEqual(['deniz']);
    const slashed = await put(a.http, `/admin/reference/category/${encodeURIComponent('billing/late')}`, {
      definition: { name: 'Late', parent: 'billing' },
    });
    expect(slashed.status).toBe(200);
    const categories = await b.http.get<{ items: Record<string, unknown> }>('/admin/reference/category', { key: admin });
    expect(Object.keys(categories.body.items).sort()).toEqual(['billing', 'billing/late', 'wrong-invoice']);
  });

  it('replays an answer for the same Idempotency-Key, and refuses the key with another body', async () => {
    const body = { definition: { name: 'Platinum', rank: 0 } };
    const first = await put(a.http, '/admin/reference/customerTier/platinum', body, 'ref-idem-1');
    const wrongRank = await put(b.http, '/admin/reference/customerTier/platinum', body, 'ref-idem-1');
    expect([first.status, codeOf(first)]).toEqual([422, 'REFERENCE_INVALID']);
    expect({ status: wrongRank.status, replayed: wrongRank.headers.get('idempotent-replayed'), body: wrongRank.body }).toEqual({
      status: 422,
      replayed: 'true',
      body: first.body,
    });
    const good = { definition: { name: 'Platinum', rank: 1 } };
    const defined = await put(a.http, '/admin/reference/customerTier/platinum', good, 'ref-idem-2');
    const replay = await put(b.http, '/admin/reference/customerTier/platinum', good, 'ref-idem-2');
    expect([defined.body, replay.body, replay.headers.get('idempotent-replayed')]).toEqual([
      { kind: 'customerTier', id: 'platinum', written: 1, unchanged: 0 },
      defined.body,
      'true',
    ]);
    const reused = await put(a.http, '/admin/reference/customerTier/platinum', { definition: { name: 'Other', rank: 1 } }, 'ref-idem-2');
    expect(codeOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('retires: a unit still in use is 409, a policy gets a retired version, a calendar never; only admins may', async () => {
    expect([(await del(a.http, '/admin/reference/unit/front')).status, codeOf(await del(a.http, '/admin/reference/unit/front'))]).toEqual([
      409,
      'REFERENCE_IN_USE',
    ]);
    const retired = await a.http.request<Change>(
      'DELETE',
      '/admin/reference/slaPolicy/billing-normal?effectiveFrom=2026-06-01T00:00:00Z',
      undefined,
      { key: admin },
    );
    expect(retired.body).toMatchObject({ written: 1 });
    const policies = await b.http.get<{ items: Record<string, unknown[]> }>('/admin/reference/slaPolicy', { key: admin });
    expect(policies.body.items['billing-normal']?.[1]).toEqual({ retired: true, effectiveFrom: '2026-06-01T00:00:00.000Z' });
    expect(codeOf(await del(a.http, '/admin/reference/calendar/istanbul'))).toBe('REFERENCE_NOT_RETIRABLE');
    expect(codeOf(await del(a.http, '/admin/reference/unit/nowhere'))).toBe('REFERENCE_NOT_FOUND');
    const forbidden = await a.http.get('/admin/reference', { key: service });
    expect([forbidden.status, codeOf(forbidden)]).toEqual([403, 'FORBIDDEN_ROLE']);
  });

  it('lists the names ticket commands used, whether defined, a page at a time', async () => {
    for (const [i, overrides] of [
      {},
      { unitId: 'night-shift', channel: 'sms' },
      { unitId: 'night-shift', category: 'lost-card' },
    ].entries()) {
      const opened = await a.http.post('/tickets', openTicketBody({ ...overrides, customer: `cust-ref-${i}` }), { key: service });
      expect(opened.status).toBe(201);
    }
    type Page = { items: Array<{ kind: string; name: string; defined: boolean; ticketCount: number }>; next: string | null };
    const all: Page['items'] = [];
    // The projection runs inline in the API: wait until it has counted the last ticket.
    for (let attempt = 0; attempt < 200; attempt++) {
      const units = await b.http.get<Page>('/admin/reference/seen?kind=unit', { key: admin });
      if (units.body.items.some((item) => item.name === 'night-shift' && item.ticketCount === 2)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    let page: HttpAnswer<Page> | undefined = await b.http.get<Page>('/admin/reference/seen?undefinedOnly=true&limit=2', { key: admin });
    for (let guard = 0; page && guard < 10; guard++) {
      all.push(...page.body.items);
      if (page.body.next === null) break;
      expect(page.body.items).toHaveLength(2);
      page = await b.http.get<Page>(`/admin/reference/seen?undefinedOnly=true&limit=2&after=${encodeURIComponent(page.body.next)}`, {
        key: admin,
      });
    }
    expect(all.map(({ kind, name, defined, ticketCount }) => [kind, name, defined, ticketCount])).toEqual([
      ['category', 'lost-card', false, 1],
      ['channel', 'sms', false, 1],
      ['unit', 'night-shift', false, 2],
    ]);
    const units = await b.http.get<Page>('/admin/reference/seen?kind=unit', { key: admin });
    expect(units.body.items.map(({ name, defined }) => [name, defined])).toEqual([
      ['front', true],
      ['night-shift', false],
    ]);
  });
});
