import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JsonObject, RecordedEvent } from '#event-store';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { TICKET_STREAM_PREFIX } from '#ticketing';
import { businessRecordedEvents } from '../tickets/testing/business-tickets.js';
import { holdTickets } from '../tickets/testing/hold-tickets.js';
import {
  applyPerStreamBuild,
  openPerStreamDatabase,
  PER_STREAM_BUILDS,
  perStreamRows,
  recordedThroughStore,
  type PerStreamDatabase,
  itMatchesHandleInBatches,
} from '../unit-days/testing/per-stream-builds.js';
import { generatedStreams } from '../unit-days/testing/ticket-streams.js';
import { createDeadlinesProjection } from './deadlines.projection.js';
import { DEADLINE_TABLES } from './tables.js';

/**
 * The per-stream rebuild path of deadlines (`perStream.handleStreams`) leaves the rows of its
 * `handle`: over whole streams, and up to a head followed by `handle` from the head (or from
 * well before it, skipping what the folded states hold). The business-time fixture puts the
 * calendars in streams of their own, which go through `handle` before the ticket streams.
 * DEADLINES_LOAD_TICKETS sets the generated load's size, LOAD_SEED its seed.
 */
const LOAD_TICKETS = Number(process.env.DEADLINES_LOAD_TICKETS ?? 1_000);
const SEED = Number(process.env.LOAD_SEED ?? 20261207);

/** The data with breach warnings at 50% and 80% on every clock's terms that has none. */
function withWarnings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withWarnings);
  if (value === null || typeof value !== 'object') return value;
  const copy = Object.fromEntries(Object.entries(value).map(([key, field]) => [key, withWarnings(field)]));
  return 'targetSeconds' in copy && 'calendarId' in copy && !('warnings' in copy) ? { ...copy, warnings: [50, 80] } : copy;
}

const make = (build: string) => createDeadlinesProjection({ name: `deadlines-${build}`, tablePrefix: `${build}_` });
const VERSION = make('batched').version;

describe.each([
  {
    name: 'golden-small',
    events: (database: PerStreamDatabase) => recordedThroughStore(database.pool, replayThroughDomain(loadGoldenCommands())),
    chunk: 3,
  },
  {
    name: 'tickets whose due times meet a hold',
    events: (database: PerStreamDatabase) => recordedThroughStore(database.pool, new Map(holdTickets().map((t) => [t.ticketId, t.events]))),
    chunk: 2,
  },
  {
    // Each ticket's first two events, so its deadlines are still open, with breach warnings, which fall in business time.
    name: 'tickets open in business calendars (calendar streams first)',
    events: async () =>
      businessRecordedEvents()
        .filter((event) => !event.streamId.startsWith(TICKET_STREAM_PREFIX) || event.revision < 2)
        .map((event) => ({ ...event, data: withWarnings(event.data) as JsonObject })),
    chunk: 2,
  },
  {
    name: `a generated load of ${LOAD_TICKETS} tickets (seed ${SEED})`,
    events: (database: PerStreamDatabase) =>
      recordedThroughStore(
        database.pool,
        generatedStreams({ tickets: LOAD_TICKETS, seed: SEED, start: new Date('2026-01-05T00:00:00Z'), spreadDays: 45 }),
      ),
    chunk: 97,
  },
])('the deadlines per-stream path on $name', ({ name, events: record, chunk }) => {
  let database: PerStreamDatabase;
  let events: RecordedEvent[];

  beforeAll(async () => {
    process.stdout.write(`deadlines per-stream spec: ${name}\n`);
    database = await openPerStreamDatabase('deadlines_per_stream');
    events = await record(database);
    for (const build of PER_STREAM_BUILDS) await applyPerStreamBuild(database.pool, build, make, events, { chunk, head: 0.6 });
  }, 300_000);

  afterAll(async () => {
    await database?.close();
  });

  itMatchesHandleInBatches(() => database, VERSION, DEADLINE_TABLES);

  it('has a case worth comparing: open deadlines and ticket states, and ticket streams the head cuts in two', async () => {
    const batched = await perStreamRows(database.pool, 'batched', VERSION, DEADLINE_TABLES);
    const kinds = new Set(batched.open_deadlines.map((row) => (row as { kind: string }).kind));
    expect({ delays: kinds.has('delay'), warnings: kinds.has('warning'), tickets: batched.deadline_tickets.length > 0 }).toEqual({
      delays: true,
      warnings: true,
      tickets: true,
    });
    const head = Math.floor(events.length * 0.6);
    const before = new Set(events.slice(0, head).map((event) => event.streamId));
    expect(events.slice(head).some((event) => event.streamId.startsWith(TICKET_STREAM_PREFIX) && before.has(event.streamId))).toBe(true);
  });
});
