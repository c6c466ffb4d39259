import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { migrateEventStore, PostgresEventStore } from '#event-store';
import { ManualClock } from '#platform/testing/manual-clock.js';
import { endPool } from '#read-model/postgres/close-pools.js';
import { migrateProjections, planProjection, ProjectionRunner, silentLog } from '#read-model/projections/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { Deliverer, NotificationQueries, verifyWebhookSignature, Webhooks } from '#automation';
import { seededRandom } from '#workload';
import { appendWhole, generatedStreams } from '../unit-days/testing/ticket-streams.js';
import { createNotificationsProjection } from './notifications.projection.js';

/**
 * The webhook deliverer (libs/automation) on this projection's outbox, against real node:http receivers (issue 11's acceptance): a receiver
 * that fails 3 times per notification then succeeds gets each one once by its Idempotency-Key;
 * one holding the wrong secret sees a bad signature; one down past the retry window ends in the
 * dead-letter list, and a redelivery sends it once it is up. Time moves on a manual clock.
 */
const SEED = Number(process.env.LOAD_SEED ?? 20261207);
const TICKETS = 12;
const RETRY = { baseMs: 1000, maxMs: 60_000, maxAttempts: 4 };

interface Received {
  key: string;
  kind: string;
  signature: string | undefined;
  body: string;
  answered: number;
}

/** A receiver recording every request; `answer` picks the status from how often the key came before. */
async function receiver(answer: (timesBefore: number) => number, port = 0): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // The spec set-up's OpenAPI check (validate-responses.ts) asks every local origin for /docs-json: only the hook's requests count.
      if (request.method !== 'POST' || request.url !== '/hook') {
        process.stdout.write(`receiver: ignored ${request.method} ${request.url}\n`);
        response.writeHead(404).end();
        return;
      }
      const key = String(request.headers['idempotency-key']);
      const status = answer(received.filter((r) => r.key === key).length);
      received.push({
        key,
        kind: String(request.headers['bildirim-event']),
        signature: request.headers['bildirim-signature'] as string | undefined,
        body: Buffer.concat(chunks).toString('utf8'),
        answered: status,
      });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

describe('the webhook deliverer', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  let deliverer: Deliverer;
  let webhooks: Webhooks;
  let queries: NotificationQueries;
  let ids: string[];
  let flaky: Awaited<ReturnType<typeof receiver>>;
  let strange: Awaited<ReturnType<typeof receiver>>;
  let closedOnly: Awaited<ReturnType<typeof receiver>>;
  let down: { url: string; port: number; id: string };
  let flakyId: string;

  /** Rounds until nothing is pending and due, moving the clock past every back-off; returns how many rounds ran. */
  async function drain(maxRounds = 20): Promise<number> {
    for (let round = 1; round <= maxRounds; round++) {
      const outcome = await deliverer.round();
      if (outcome.fannedOut + outcome.delivered + outcome.failed + outcome.dead === 0) return round;
      clock.advance(RETRY.maxMs);
    }
    throw new Error(`deliveries still moving after ${maxRounds} rounds`);
  }

  beforeAll(async () => {
    process.stdout.write(`deliverer spec: jitter seed ${SEED}\n`);
    db = await createTestDatabase('deliverer');
    pool = new pg.Pool({ connectionString: db.url, max: 8 });
    await migrateEventStore(pool);
    await migrateProjections(pool);
    store = new PostgresEventStore(pool);
    webhooks = new Webhooks(pool);
    queries = new NotificationQueries(pool);
    deliverer = new Deliverer({ pool, clock, retry: RETRY, timeoutMs: 5_000, log: () => undefined, random: seededRandom(SEED) });

    flaky = await receiver((before) => (before < 3 ? 503 : 200));
    strange = await receiver(() => 204);
    closedOnly = await receiver(() => 200);
    // A port that nothing listens on (yet): a receiver that is down.
    const probe = await receiver(() => 200);
    const port = (probe.server.address() as AddressInfo).port;
    await close(probe.server);
    const at = clock.now();
    flakyId = (await webhooks.create({ url: flaky.url, kinds: [] }, at, 'spec')).id;
    await webhooks.create({ url: strange.url, kinds: [], secret: 'whsec_held_by_nobody_else_0001' }, at, 'spec');
    await webhooks.create({ url: closedOnly.url, kinds: ['ticket.closed'] }, at, 'spec');
    down = { url: probe.url, port, id: (await webhooks.create({ url: probe.url, kinds: ['ticket.routed'] }, at, 'spec')).id };

    const streams = generatedStreams({ tickets: TICKETS, seed: SEED, start: new Date('2026-01-05T00:00:00Z'), spreadDays: 5 });
    await appendWhole(store, streams);
    const [plan] = await planProjection(pool, [createNotificationsProjection()], silentLog);
    await new ProjectionRunner({ pool, store }, plan.projection, plan.version, {
      batchSize: 100,
      bulk: false,
      untilCaughtUp: true,
    }).start();
    const { rows } = await pool.query<{ id: string }>('SELECT id::text FROM analytics.notifications ORDER BY seq');
    ids = rows.map((row) => row.id);
    await drain();
  }, 120_000);

  afterAll(async () => {
    await deliverer?.stop();
    await Promise.all([flaky, strange, closedOnly].filter(Boolean).map(({ server }) => close(server)));
    await store?.close();
    if (pool) await endPool(pool);
    await db?.drop();
  });

  it('has notifications of several kinds to deliver', async () => {
    const { rows } = await pool.query<{ kind: string }>('SELECT DISTINCT kind FROM analytics.notifications ORDER BY kind');
    expect(ids.length).toBeGreaterThan(TICKETS);
    expect(rows.map((row) => row.kind)).toEqual(expect.arrayContaining(['ticket.closed', 'ticket.routed']));
  });

  it('gets a flaky receiver each notification once by its Idempotency-Key, after three failures each', () => {
    const successes = flaky.received.filter((r) => r.answered === 200).map((r) => r.key);
    expect([...successes].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(flaky.received.filter((r) => r.key === id).map((r) => r.answered)).toEqual([503, 503, 503, 200]);
  });

  it('sends the same body under the same key on every retry, signed so the right secret verifies it', () => {
    for (const id of ids) {
      const attempts = flaky.received.filter((r) => r.key === id);
      expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
      const body = JSON.parse(attempts[0].body) as { id: string; kind: string };
      expect(body.id).toBe(id);
      expect(attempts.every((r) => r.kind === body.kind)).toBe(true);
    }
  });

  it('records the flaky deliveries as delivered after four attempts', async () => {
    const { rows } = await pool.query<{ status: string; attempts: number; n: string }>(
      `SELECT status, attempts, count(*)::text AS n FROM notification_deliveries WHERE webhook_id = $1 GROUP BY 1, 2`,
      [flakyId],
    );
    expect(rows).toEqual([{ status: 'delivered', attempts: 4, n: String(ids.length) }]);
  });

  it('lets a receiver holding the wrong secret detect the bad signature, while the right one verifies', () => {
    expect(strange.received).toHaveLength(ids.length);
    const now = Math.floor(clock.now().getTime() / 1000);
    for (const request of strange.received) {
      expect(verifyWebhookSignature('whsec_a_secret_it_was_not_given', request.signature, request.body, now, 7 * 24 * 3600)).toBe(false);
      expect(verifyWebhookSignature('whsec_held_by_nobody_else_0001', request.signature, request.body, now, 7 * 24 * 3600)).toBe(true);
    }
  });

  it('sends a webhook only the kinds it asked for', async () => {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id::text FROM analytics.notifications WHERE kind = 'ticket.closed' ORDER BY seq`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(closedOnly.received.map((r) => r.key)).toEqual(rows.map((row) => row.id));
    expect(new Set(closedOnly.received.map((r) => r.kind))).toEqual(new Set(['ticket.closed']));
  });

  it('puts the deliveries to a receiver down past the retry window in the dead-letter list', async () => {
    const page = await queries.page({ status: 'dead', webhookId: down.id, limit: 1000 });
    const { rows } = await pool.query<{ id: string }>(`SELECT id::text FROM analytics.notifications WHERE kind = 'ticket.routed'`);
    expect(page.notifications.map((n) => n.id).sort()).toEqual(rows.map((row) => row.id).sort());
    for (const notification of page.notifications) {
      const delivery = notification.deliveries.find((d) => d.webhookId === down.id);
      expect(delivery).toMatchObject({ status: 'dead', attempts: RETRY.maxAttempts, lastStatus: null, nextAttemptAt: null });
      expect(delivery?.lastError).toMatch(/fetch failed|ECONNREFUSED/);
    }
  });

  it('sends a dead letter again once the receiver is up and it is redelivered, once', async () => {
    const up = await receiver(() => 200, down.port);
    try {
      const dead = await queries.page({ status: 'dead', webhookId: down.id, limit: 1000 });
      const id = dead.notifications[0].id;
      const redelivered = await queries.redeliver(id, clock.now(), down.id);
      expect(redelivered?.deliveries.find((d) => d.webhookId === down.id)).toMatchObject({ status: 'pending', attempts: 0 });
      await drain();
      expect(up.received.map((r) => [r.key, r.answered])).toEqual([[id, 200]]);
      expect((await queries.one(id))?.deliveries.find((d) => d.webhookId === down.id)).toMatchObject({ status: 'delivered', attempts: 1 });
      expect((await queries.page({ status: 'dead', webhookId: down.id, limit: 1000 })).notifications).toHaveLength(
        dead.notifications.length - 1,
      );
    } finally {
      await close(up.server);
    }
  });

  it('starts a webhook created now at the current end of the outbox', async () => {
    const late = await receiver(() => 200);
    try {
      await webhooks.create({ url: late.url, kinds: [] }, clock.now(), 'spec');
      await drain();
      expect(late.received).toEqual([]);
    } finally {
      await close(late.server);
    }
  });

  it('counts a receiver that does not answer within WEBHOOK_TIMEOUT as a failed attempt, to be retried', async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const impatient = new Deliverer({ pool, clock, retry: RETRY, timeoutMs: 200, log: () => undefined, random: seededRandom(SEED) });
    try {
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
      const { id } = await webhooks.create({ url, kinds: [] }, clock.now(), 'spec');
      await queries.redeliver(ids[0], clock.now(), id);
      expect(await impatient.round()).toMatchObject({ delivered: 0, failed: 1, dead: 0 });
      const delivery = (await queries.one(ids[0]))?.deliveries.find((d) => d.webhookId === id);
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null, lastError: 'no answer within 200 ms' });
      // The next attempt waits between half the base and the base (equal jitter).
      const wait = Date.parse(delivery?.nextAttemptAt ?? '') - clock.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(RETRY.baseMs / 2);
      expect(wait).toBeLessThanOrEqual(RETRY.baseMs);
      await webhooks.delete(id);
    } finally {
      hanging.closeAllConnections();
      await close(hanging);
    }
  });

  it('lets one deliverer be active at a time; a standby takes over when it stops', async () => {
    const options = { pool, clock, retry: RETRY, timeoutMs: 5_000, log: () => undefined };
    const first = new Deliverer(options);
    const second = new Deliverer(options);
    try {
      expect(await first.tick()).toBeDefined();
      expect(await second.tick()).toBeUndefined();
      expect([first.isActive, second.isActive]).toEqual([true, false]);
      await first.stop();
      expect(await second.tick()).toBeDefined();
      expect(second.isActive).toBe(true);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('answers undefined when redelivering an unknown notification', async () => {
    expect(await queries.redeliver('00000000-0000-4000-8000-000000000000', clock.now())).toBeUndefined();
  });
});
