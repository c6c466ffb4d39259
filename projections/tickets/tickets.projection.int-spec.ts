import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type TicketEvent } from '#ticketing';
import { generateTickets } from '#workload';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { noDifferences, prefixDifferences } from '../testing/table-differences.js';
import { buildThreeWays, type ThreeWays } from '../testing/three-ways.js';
import { createTableSql, TICKET_TABLES } from './tables.js';
import { ticketHistory } from './ticket-history.js';
import { ticketRows } from './ticket-rows.js';
import { writeTicketRows } from './write-ticket-rows.js';
import { createTicketsProjection } from './tickets.projection.js';

const TABLE_NAMES = TICKET_TABLES.map((table) => table.name);

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
  let built: ThreeWays;
  let pool: pg.Pool;
  const eventCount = [...streams.values()].reduce((n, events) => n + events.length, 0);

  beforeAll(async () => {
    built = await buildThreeWays('tickets', streams, (build) =>
      createTicketsProjection({ name: `tickets-${build}`, tablePrefix: `${build}_` }),
    );
    pool = built.pool;
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
    await built?.close();
  });

  it('applies every event', async () => {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events');
    expect(Number(rows[0].n)).toBe(eventCount);
  });

  it.each(['one', 'thousand', 'rebuilt', 'perstream'])(
    'gives the tables of a plain replay with the %s build (batch size 1, 1,000, bulk rebuild, per-stream rebuild)',
    async (build) => {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM analytics.replay_tickets');
      expect(Number(rows[0].n)).toBe(streams.size);
      expect(await prefixDifferences(pool, TABLE_NAMES, `${build}_`, 'replay_')).toEqual(noDifferences(TABLE_NAMES));
    },
  );

  it('built the perstream version per stream, to the head, then followed the log', async () => {
    const { rows } = await pool.query<{ position: string | null; events_applied: string }>(
      `SELECT position, events_applied FROM projections.checkpoints WHERE name = 'tickets-perstream'`,
    );
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].events_applied)).toBe(eventCount);
    expect(rows[0].position).toBe(await built.store.headPosition());
    const pending = await pool.query('SELECT 1 FROM projections.per_stream_builds');
    expect(pending.rowCount).toBe(0);
  });
});
