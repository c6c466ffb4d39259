import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { holdTickets } from '../tickets/testing/hold-tickets.js';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { ticketHistory } from '../tickets/ticket-history.js';
import { seriesHistory } from './apply-unit-day-events.js';
import { unitDaysTables, UNIT_DAYS, UNIT_DAY_CHANGES, UNIT_DAY_TICKETS, UNIT_DAY_UNITS, UNIT_DAYS_ZONE } from './tables.js';
import { buildThreeWays, type ThreeWays } from '../testing/three-ways.js';
import { generatedStreams, type TicketStreams } from './testing/ticket-streams.js';
import { unitDayChanges, unitFirstStints } from './unit-day-changes.js';
import { createUnitDaysProjection } from './unit-days.projection.js';
import { writeUnitDays } from './write-unit-days.js';

/**
 * Rebuild equals live for the daily series: unit_days built with batch size 1 and with batch
 * size 1,000 while the appends go on, and by a rebuild from zero, has the same rows, equal to
 * a plain replay of each stream. UNIT_DAYS_LOAD_TICKETS sets the generated load's size.
 */
const LOAD_TICKETS = Number(process.env.UNIT_DAYS_LOAD_TICKETS ?? 1_000);
const SEED = Number(process.env.LOAD_SEED ?? 20261124);
const ZONE = 'Europe/Istanbul';
const TABLES = [UNIT_DAYS, UNIT_DAY_CHANGES, UNIT_DAY_UNITS, UNIT_DAY_TICKETS, UNIT_DAYS_ZONE];

async function rowsOf(pool: pg.Pool, relation: (table: string) => string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES)
    out[table.name] = (await pool.query(`SELECT * FROM ${relation(table.name)} ORDER BY ${table.primaryKey.join(', ')}`)).rows;
  return out;
}

/** The rows a plain fold of each whole stream gives, written by the projection's own writer. */
async function writeReplay(pool: pg.Pool, streams: TicketStreams): Promise<void> {
  await pool.query('CREATE SCHEMA replay');
  for (const table of unitDaysTables(ZONE)) for (const sql of table.create(`replay.${table.name}`)) await pool.query(sql);
  const tickets = [...streams.values()].map((events) => {
    const history = ticketHistory(events);
    if (!history) throw new Error('empty stream');
    return seriesHistory(history);
  });
  const client = await pool.connect();
  try {
    for (let i = 0; i < tickets.length; i += 500) {
      const part = tickets.slice(i, i + 500);
      await writeUnitDays(client, (name) => `replay.${name}`, {
        timeZone: ZONE,
        tickets: part.map((h) => ({ ticketId: h.ticketId, revision: h.revision, history: h })),
        changes: part.flatMap(unitDayChanges),
        units: part.flatMap(unitFirstStints),
      });
    }
  } finally {
    client.release();
  }
}

describe.each([
  { name: 'golden-small', streams: replayThroughDomain(loadGoldenCommands()) },
  { name: 'tickets whose resolution due time meets a hold', streams: new Map(holdTickets().map((t) => [t.ticketId, t.events])) },
  {
    name: `a generated load of ${LOAD_TICKETS} tickets (seed ${SEED})`,
    streams: generatedStreams({ tickets: LOAD_TICKETS, seed: SEED, start: new Date('2026-01-05T00:00:00Z'), spreadDays: 45 }),
  },
])('the unit_days projection on $name', ({ streams }) => {
  let built: ThreeWays;
  let pool: pg.Pool;

  beforeAll(async () => {
    built = await buildThreeWays('unit_days', streams, (build) =>
      createUnitDaysProjection({ timeZone: ZONE, name: `unit_days-${build}`, tablePrefix: `${build}_` }),
    );
    pool = built.pool;
    await writeReplay(pool, streams);
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  it('gives identical tables with batch size 1, batch size 1,000, a rebuild from zero, and a plain replay of each stream', async () => {
    const replay = await rowsOf(pool, (table) => `replay.${table}`);
    expect(replay.unit_day_tickets).toHaveLength(streams.size);
    expect(replay.unit_days_zone).toEqual([{ time_zone: ZONE }]);
    expect(await rowsOf(pool, (table) => `analytics.one_${table}`)).toEqual(replay);
    expect(await rowsOf(pool, (table) => `analytics.thousand_${table}`)).toEqual(replay);
    expect(await rowsOf(pool, (table) => `analytics.rebuilt_${table}`)).toEqual(replay);
  });

  it('has a series worth comparing: every figure moves, every ticket is opened once, and no row is all zeros', async () => {
    const { rows } = await pool.query<Record<string, string>>(
      `SELECT sum(opened) AS opened,
              count(*) FILTER (WHERE closed <> 0) AS closed, count(*) FILTER (WHERE backlog_change <> 0) AS backlog,
              count(*) FILTER (WHERE over_target_change <> 0) AS over_target, count(*) FILTER (WHERE aged_lt1d_change <> 0) AS lt1d,
              count(*) FILTER (WHERE aged_1to3d_change <> 0) AS d1to3, count(*) FILTER (WHERE aged_3to7d_change <> 0) AS d3to7,
              count(*) FILTER (WHERE aged_ge7d_change <> 0) AS ge7d,
              count(*) FILTER (WHERE opened = 0 AND closed = 0 AND backlog_change = 0 AND over_target_change = 0 AND aged_lt1d_change = 0
                                 AND aged_1to3d_change = 0 AND aged_3to7d_change = 0 AND aged_ge7d_change = 0) AS all_zero
         FROM analytics.rebuilt_unit_days`,
    );
    const figures = rows[0];
    expect(Number(figures.opened)).toBe(streams.size);
    for (const figure of ['closed', 'backlog', 'over_target', 'lt1d', 'd1to3', 'd3to7', 'ge7d'])
      expect({ figure, rows: Number(figures[figure]) > 0 }).toEqual({ figure, rows: true });
    expect(Number(figures.all_zero)).toBe(0);
    // The instants add up to the days.
    const { rows: mismatched } = await pool.query(
      `SELECT unit_id, day FROM (
         SELECT unit_id, day, backlog_change, over_target_change, aged_lt1d_change, aged_1to3d_change, aged_3to7d_change, aged_ge7d_change
           FROM analytics.rebuilt_unit_days
          WHERE NOT (backlog_change = 0 AND over_target_change = 0
                     AND aged_lt1d_change = 0 AND aged_1to3d_change = 0 AND aged_3to7d_change = 0 AND aged_ge7d_change = 0)
         EXCEPT
         SELECT unit_id, day, sum(backlog_change), sum(over_target_change),
                sum(aged_lt1d_change), sum(aged_1to3d_change), sum(aged_3to7d_change), sum(aged_ge7d_change)
           FROM analytics.rebuilt_unit_day_changes GROUP BY unit_id, day) x`,
    );
    expect(mismatched).toEqual([]);
  });
});
