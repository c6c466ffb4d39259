import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#event-store';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { holdTickets } from '../tickets/testing/hold-tickets.js';
import { UNIT_DAYS, UNIT_DAY_CHANGES, UNIT_DAY_TICKETS, UNIT_DAY_UNITS, UNIT_DAYS_ZONE } from './tables.js';
import {
  applyPerStreamBuild,
  openPerStreamDatabase,
  PER_STREAM_BUILDS,
  perStreamRows,
  recordedThroughStore,
  type PerStreamDatabase,
  itMatchesHandleInBatches,
} from './testing/per-stream-builds.js';
import { generatedStreams, type TicketStreams } from './testing/ticket-streams.js';
import { createUnitDaysProjection } from './unit-days.projection.js';

/**
 * The per-stream rebuild path of unit_days (`perStream.handleStreams`) leaves the rows of its
 * `handle`: over whole streams, and up to a head followed by `handle` from the head (or from
 * well before it, skipping what the streams hold). UNIT_DAYS_LOAD_TICKETS sets the generated
 * load's size, LOAD_SEED its seed.
 */
const LOAD_TICKETS = Number(process.env.UNIT_DAYS_LOAD_TICKETS ?? 1_000);
const SEED = Number(process.env.LOAD_SEED ?? 20261207);
const ZONE = 'Europe/Istanbul';
const TABLES = [UNIT_DAYS, UNIT_DAY_CHANGES, UNIT_DAY_UNITS, UNIT_DAY_TICKETS, UNIT_DAYS_ZONE];

const make = (build: string) => createUnitDaysProjection({ timeZone: ZONE, name: `unit_days-${build}`, tablePrefix: `${build}_` });
const VERSION = make('batched').version;

describe.each([
  // One stream per chunk: a later chunk cancels an earlier one's figures on some (unit, day), whose row must go.
  { name: 'golden-small', streams: (): TicketStreams => replayThroughDomain(loadGoldenCommands()), chunk: 1 },
  {
    name: 'tickets whose resolution due time meets a hold',
    streams: () => new Map(holdTickets().map((t) => [t.ticketId, t.events])),
    chunk: 2,
  },
  {
    name: `a generated load of ${LOAD_TICKETS} tickets (seed ${SEED})`,
    streams: () => generatedStreams({ tickets: LOAD_TICKETS, seed: SEED, start: new Date('2026-01-05T00:00:00Z'), spreadDays: 45 }),
    chunk: 97,
  },
])('the unit_days per-stream path on $name', ({ name, streams, chunk }) => {
  let database: PerStreamDatabase;
  let events: RecordedEvent[];

  beforeAll(async () => {
    process.stdout.write(`unit_days per-stream spec: ${name}\n`);
    database = await openPerStreamDatabase('unit_days_per_stream');
    events = await recordedThroughStore(database.pool, streams());
    for (const build of PER_STREAM_BUILDS) await applyPerStreamBuild(database.pool, build, make, events, { chunk, head: 0.6 });
  }, 300_000);

  afterAll(async () => {
    await database?.close();
  });

  itMatchesHandleInBatches(() => database, VERSION, TABLES);

  it('has a case worth comparing: rows in every table, and streams the head cuts in two', async () => {
    const batched = await perStreamRows(database.pool, 'batched', VERSION, TABLES);
    for (const table of TABLES)
      expect({ table: table.name, rows: batched[table.name].length > 0 }).toEqual({ table: table.name, rows: true });
    const head = Math.floor(events.length * 0.6);
    const before = new Set(events.slice(0, head).map((event) => event.streamId));
    expect(events.slice(head).some((event) => before.has(event.streamId))).toBe(true);
  });
});
