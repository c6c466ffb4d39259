import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type TicketEvent } from '#ticketing';
import { generateTickets } from '#workload';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { buildThreeWays, type ThreeWays } from '../testing/three-ways.js';
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

  // Five copies of every table (~100k events' rows) read and compared in memory: minutes on a loaded machine.
  it('gives identical tables with batch size 1, batch size 1,000, a rebuild (bulk and per stream), and a plain replay', async () => {
    const replay = await rowsOf(pool, 'replay_');
    expect(replay.tickets).toHaveLength(streams.size);
    expect(await rowsOf(pool, 'one_')).toEqual(replay);
    expect(await rowsOf(pool, 'thousand_')).toEqual(replay);
    expect(await rowsOf(pool, 'rebuilt_')).toEqual(replay);
    expect(await rowsOf(pool, 'perstream_')).toEqual(replay);
  }, 600_000);

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
