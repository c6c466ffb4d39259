import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { eventIdFor, type PostgresEventStore } from '#event-store';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { buildThreeWays, type ThreeWays } from '../testing/three-ways.js';
import { generatedStreams, type TicketStreams } from '../unit-days/testing/ticket-streams.js';
import { notificationKindOf } from './notification-kinds.js';
import { createNotificationsProjection } from './notifications.projection.js';

/**
 * The outbox built live with batch size 1 and 1,000 while the appends go on, and by a rebuild,
 * has the same rows (seq included), one per notified event of the streams, in log order.
 * NOTIFICATIONS_LOAD_TICKETS sets the generated load's size, LOAD_SEED its seed.
 */
const LOAD_TICKETS = Number(process.env.NOTIFICATIONS_LOAD_TICKETS ?? 1_000);
const SEED = Number(process.env.LOAD_SEED ?? 20261207);

interface Row {
  seq: string;
  id: string;
  kind: string;
  ticket_id: string;
  unit_id: string | null;
  user_id: string | null;
  occurred_at: string;
  position: string;
  payload: Record<string, unknown>;
}

async function rowsOf(pool: pg.Pool, relation: string): Promise<Row[]> {
  const { rows } = await pool.query<Row>(
    `SELECT seq, id::text, kind, ticket_id, unit_id, user_id,
            to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at, position, payload
       FROM ${relation} ORDER BY seq`,
  );
  return rows;
}

describe.each([
  { name: 'golden-small', streams: replayThroughDomain(loadGoldenCommands()) },
  {
    name: `a generated load of ${LOAD_TICKETS} tickets (seed ${SEED})`,
    streams: generatedStreams({ tickets: LOAD_TICKETS, seed: SEED, start: new Date('2026-01-05T00:00:00Z'), spreadDays: 45 }),
  },
])('the notifications projection on $name', ({ name, streams }: { name: string; streams: TicketStreams }) => {
  let built: ThreeWays;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    process.stdout.write(`notifications projection spec: ${name}\n`);
    built = await buildThreeWays('notifications', streams, (build) =>
      createNotificationsProjection({ name: `notifications-${build}`, tablePrefix: `${build}_` }),
    );
    ({ pool, store } = built);
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  it('gives the same rows, seq included, with batch size 1, 1,000 and a rebuild', async () => {
    const rebuilt = await rowsOf(pool, 'analytics.rebuilt_notifications');
    expect(await rowsOf(pool, 'analytics.one_notifications')).toEqual(rebuilt);
    expect(await rowsOf(pool, 'analytics.thousand_notifications')).toEqual(rebuilt);
  });

  it('numbers the notifications 1, 2, 3 … in the order of the event log', async () => {
    const rows = await rowsOf(pool, 'analytics.rebuilt_notifications');
    expect(rows.map((row) => Number(row.seq))).toEqual(rows.map((_, index) => index + 1));
    const log: string[] = [];
    for (let after: string | undefined, end = false; !end;) {
      const page = await store.readAll({ after, maxCount: 5_000 });
      log.push(...page.events.filter((event) => notificationKindOf(event.type) !== undefined).map((event) => event.eventId));
      [after, end] = [page.nextAfter, page.isEnd];
    }
    expect(rows.map((row) => row.id)).toEqual(log);
  });

  it('has one notification per notified event of each stream, with its kind, ticket and the event’s data', async () => {
    const rows = await rowsOf(pool, 'analytics.rebuilt_notifications');
    const byId = new Map(rows.map((row) => [row.id, row]));
    let expected = 0;
    for (const [ticketId, events] of streams) {
      const customer = events[0].type === 'TicketOpened' ? events[0].data.customer : undefined;
      events.forEach((event, revision) => {
        const kind = notificationKindOf(event.type);
        if (kind === undefined) return;
        expected += 1;
        const row = byId.get(eventIdFor(ticketId, revision));
        expect(row).toMatchObject({ kind, ticket_id: ticketId, occurred_at: event.occurredAt });
        expect(row?.payload).toMatchObject({ ...event.data, ticketId, occurredAt: event.occurredAt });
        if (event.type === 'TicketClosed') expect(row?.payload.customer).toBe(customer);
        if (event.type === 'TicketRouted') expect(row?.unit_id).toBe(event.data.toUnitId);
        if (event.type === 'TicketDelayed') expect([row?.unit_id, row?.user_id]).toEqual([event.data.unitId, event.data.userId]);
      });
    }
    expect(rows).toHaveLength(expected);
  });

  it('has rows worth comparing: every kind the ticket commands write', async () => {
    const { rows } = await pool.query<{ kind: string; n: string }>(
      'SELECT kind, count(*)::text AS n FROM analytics.rebuilt_notifications GROUP BY kind ORDER BY kind',
    );
    process.stdout.write(`notifications of ${name}: ${JSON.stringify(rows)}\n`);
    expect(rows.map((row) => row.kind)).toEqual(['ticket.closed', 'ticket.delayed', 'ticket.escalated', 'ticket.routed']);
  });
});
