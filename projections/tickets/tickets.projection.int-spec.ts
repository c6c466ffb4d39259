import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { eventIdFor, migrateEventStore, PostgresEventStore, type JsonObject } from '#event-store';
import { endPool } from '#read-model/postgres/close-pools.js';
import { migrateProjections, planProjection, ProjectionRunner, rebuildProjection, silentLog } from '#read-model/projections/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ticketStreamId, type TicketEvent } from '#ticketing';
import { generateTickets } from '#workload';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { createTableSql, TICKET_TABLES } from './tables.js';
import { ticketHistory } from './ticket-history.js';
import { ticketRows } from './ticket-rows.js';
import { writeTicketRows } from './write-ticket-rows.js';
import { createTicketsProjection } from './tickets.projection.js';

/**
 * Rebuild equals live (issue 3): the tickets projection built incrementally with batch size 1,
 * with batch size 1,000 while appends go on, and by a rebuild from zero gives the same rows,
 * which equal a plain replay of each stream. LOAD_TICKETS sets the generated load's size.
 */
const LOAD_TICKETS = Number(process.env.LOAD_TICKETS ?? 12_000);
const SEED = Number(process.env.LOAD_SEED ?? 20261123);

interface Scenario {
  name: string;
  streams: Map<string, TicketEvent[]>;
}

function interleaved(streams: Map<string, TicketEvent[]>): Array<{ ticketId: string; revision: number; event: TicketEvent }> {
  return [...streams.entries()]
    .flatMap(([ticketId, events]) => events.map((event, revision) => ({ ticketId, revision, event })))
    .sort((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt) || a.revision - b.revision);
}

/** Appends every event on its own, in time order, by four writers that each own a share of the tickets. */
async function appendLive(store: PostgresEventStore, streams: Map<string, TicketEvent[]>): Promise<void> {
  const all = interleaved(streams);
  const writers = 4;
  const shareOf = (ticketId: string) => Number.parseInt(ticketId.slice(0, 8), 16) % writers;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (const { ticketId, revision, event } of all) {
        if (shareOf(ticketId) !== writer) continue;
        const metadata: JsonObject = { occurredAt: event.occurredAt, schemaVersion: 1, commandId: `${ticketId}/${revision}` };
        await store.append(
          ticketStreamId(ticketId),
          [{ eventId: eventIdFor(ticketId, revision), type: event.type, data: event.data as unknown as JsonObject, metadata }],
          { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 },
        );
      }
    }),
  );
}

async function rowsOf(pool: pg.Pool, prefix: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TICKET_TABLES) {
    const { rows } = await pool.query(`SELECT * FROM analytics.${prefix}${table.name} ORDER BY ${table.primaryKey.join(', ')}`);
    out[table.name] = rows;
  }
  return out;
}

describe.each<Scenario>([
  { name: 'golden-small', streams: replayThroughDomain(loadGoldenCommands()) },
  {
    name: `a generated load of ${LOAD_TICKETS} tickets (seed ${SEED})`,
    streams: new Map(
      [...generateTickets({ tickets: LOAD_TICKETS, seed: SEED, start: new Date('2026-01-05T00:00:00Z'), spreadDays: 60 })].map((t) => [
        t.ticketId,
        t.events,
      ]),
    ),
  },
])('the tickets projection on $name', ({ streams }) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const eventCount = [...streams.values()].reduce((n, events) => n + events.length, 0);

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 12 });
    await migrateEventStore(pool);
    await migrateProjections(pool);
    store = new PostgresEventStore(pool);
    const live = [
      { projection: createTicketsProjection({ name: 'tickets-one', tablePrefix: 'one_' }), batchSize: 1 },
      { projection: createTicketsProjection({ name: 'tickets-thousand', tablePrefix: 'thousand_' }), batchSize: 1000 },
    ];
    const planned = await Promise.all(
      live.map(async ({ projection, batchSize }) => ({ batchSize, plan: (await planProjection(pool, [projection], silentLog))[0] })),
    );
    const follow = () =>
      Promise.all(
        planned.map(({ plan, batchSize }) =>
          new ProjectionRunner({ pool, store }, plan.projection, plan.version, { batchSize, bulk: false, untilCaughtUp: true }).start(),
        ),
      );
    // Both follow the appends as they happen (a caught-up runner may end before the appends
    // do), then finish what was appended after they ended: their checkpoints resume them.
    await Promise.all([appendLive(store, streams), follow()]);
    await follow();
    await rebuildProjection({ pool, store }, createTicketsProjection({ name: 'tickets-rebuilt', tablePrefix: 'rebuilt_' }));
    // The plain replay of each stream through evolve, written by the same row writer.
    await pool.query('CREATE SCHEMA replay');
    for (const table of TICKET_TABLES) for (const sql of createTableSql(table, `replay.${table.name}`)) await pool.query(sql);
    const replayed = [...streams.values()].map((events) => {
      const history = ticketHistory(events);
      if (!history) throw new Error('empty stream');
      return ticketRows(history);
    });
    const client = await pool.connect();
    try {
      for (let i = 0; i < replayed.length; i += 2000)
        await writeTicketRows(client, (name) => `replay.${name}`, replayed.slice(i, i + 2000));
    } finally {
      client.release();
    }
    for (const table of TICKET_TABLES) await pool.query(`CREATE VIEW analytics.replay_${table.name} AS SELECT * FROM replay.${table.name}`);
  }, 1_800_000);

  afterAll(async () => {
    await store?.close();
    if (pool) await endPool(pool);
    await db?.drop();
  });

  it('applies every event', async () => {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events');
    expect(Number(rows[0].n)).toBe(eventCount);
  });

  it('gives identical tables with batch size 1, batch size 1,000, a rebuild from zero, and a plain replay of each stream', async () => {
    const replay = await rowsOf(pool, 'replay_');
    expect(replay.tickets).toHaveLength(streams.size);
    expect(await rowsOf(pool, 'one_')).toEqual(replay);
    expect(await rowsOf(pool, 'thousand_')).toEqual(replay);
    expect(await rowsOf(pool, 'rebuilt_')).toEqual(replay);
  });
});
