import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { ALWAYS_OPEN, CALENDAR_TIME_ID, fold, openDeadlines, type CalendarLookup } from '#ticketing';
import { holdTickets } from '../tickets/testing/hold-tickets.js';
import { buildThreeWays, type ThreeWays } from '../testing/three-ways.js';
import { generatedStreams, type TicketStreams } from '../unit-days/testing/ticket-streams.js';
import { createDeadlinesProjection } from './deadlines.projection.js';

/**
 * open_deadlines built live with batch size 1 and 1,000 while the appends go on, and by a
 * rebuild, has the same rows, equal to `openDeadlines` of each whole stream folded.
 * DEADLINES_LOAD_TICKETS sets the generated load's size, LOAD_SEED its seed.
 */
const LOAD_TICKETS = Number(process.env.DEADLINES_LOAD_TICKETS ?? 1_000);
const SEED = Number(process.env.LOAD_SEED ?? 20261207);

interface Row {
  ticket_id: string;
  phase: string;
  kind: string;
  instance: string;
  due_at: string;
  threshold: number | null;
  level: number | null;
}

// These streams' clocks all run in calendar time; another calendar would be a fixture change worth failing on.
const calendarTimeOnly: CalendarLookup = (id) => {
  if (id !== CALENDAR_TIME_ID) throw new Error(`unexpected calendar ${id}`);
  return ALWAYS_OPEN;
};

async function rowsOf(pool: pg.Pool, relation: string): Promise<Row[]> {
  const { rows } = await pool.query<Row>(
    `SELECT ticket_id, phase, kind, instance, threshold, level,
            to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS due_at
       FROM ${relation} ORDER BY ticket_id, phase, kind`,
  );
  return rows;
}

function expectedRows(streams: TicketStreams): Row[] {
  return [...streams.entries()]
    .flatMap(([ticketId, events]) =>
      openDeadlines(fold(events), calendarTimeOnly).map((d) => ({
        ticket_id: ticketId,
        phase: d.phase,
        kind: d.kind,
        instance: d.instance,
        due_at: d.dueAt,
        threshold: d.threshold,
        level: d.level,
      })),
    )
    .sort((a, b) => compare(a.ticket_id, b.ticket_id) || compare(a.phase, b.phase) || compare(a.kind, b.kind));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

describe.each([
  { name: 'golden-small', streams: replayThroughDomain(loadGoldenCommands()), phases: ['resolution'] },
  {
    name: 'tickets whose due times meet a hold',
    streams: new Map(holdTickets().map((t) => [t.ticketId, t.events])),
    phases: ['claim', 'resolution'],
  },
  {
    name: `a generated load of ${LOAD_TICKETS} tickets (seed ${SEED})`,
    streams: generatedStreams({ tickets: LOAD_TICKETS, seed: SEED, start: new Date('2026-01-05T00:00:00Z'), spreadDays: 45 }),
    phases: ['resolution', 'response'],
  },
])('the deadlines projection on $name', ({ name, streams, phases }) => {
  let built: ThreeWays;
  let pool: pg.Pool;

  beforeAll(async () => {
    process.stdout.write(`deadlines projection spec: ${name}\n`);
    built = await buildThreeWays('deadlines', streams, (build) =>
      createDeadlinesProjection({ name: `deadlines-${build}`, tablePrefix: `${build}_` }),
    );
    pool = built.pool;
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  it('gives the same open_deadlines with batch size 1, 1,000 and a rebuild, equal to openDeadlines of each folded stream', async () => {
    const expected = expectedRows(streams);
    expect(await rowsOf(pool, 'analytics.one_open_deadlines')).toEqual(expected);
    expect(await rowsOf(pool, 'analytics.thousand_open_deadlines')).toEqual(expected);
    expect(await rowsOf(pool, 'analytics.rebuilt_open_deadlines')).toEqual(expected);
  });

  it('has rows worth comparing: open deadlines of these phases', () => {
    expect([...new Set(expectedRows(streams).map((row) => row.phase))].sort()).toEqual(phases);
  });

  it('has rows of both kinds: due times and breach warnings', () => {
    expect([...new Set(expectedRows(streams).map((row) => row.kind))].sort()).toEqual(['delay', 'warning']);
  });

  it('keeps each ticket’s folded state at its last revision', async () => {
    const { rows } = await pool.query<{ ticket_id: string; revision: number }>(
      'SELECT ticket_id, revision FROM analytics.rebuilt_deadline_tickets ORDER BY ticket_id',
    );
    expect(rows).toEqual(
      [...streams.entries()]
        .map(([ticketId, events]) => ({ ticket_id: ticketId, revision: events.length - 1 }))
        .sort((a, b) => (a.ticket_id < b.ticket_id ? -1 : 1)),
    );
  });
});
