import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { bulkLoad } from '#event-store/postgres/bulk-load.js';
import { comparePositions } from '#event-store/postgres/position.js';
import type { PostgresEventStore } from '#event-store/postgres/postgres-event-store.js';
import { decodeTicketEvent, fold, ticketStreamId, type TicketEvent } from '#ticketing';
import { ProgressBar } from '../../rebuild/progress-bar.js';
import { seedAppends, type SeedWorkload } from '#workload';

/**
 * Seeding the bench's event store with the generated workload through the bulk loader, once:
 * what was seeded is recorded in `bench.seeded_workload`, so a kept database (--keep, then
 * --reuse) is not seeded again, and one seeded with another workload is refused.
 */
export interface SeedOutcome {
  workload: SeedWorkload;
  appends: number;
  events: number;
  /** events per type */
  eventTypes: Record<string, number>;
  /** undefined when an earlier run seeded it */
  seconds: number | undefined;
  seededAt: Date;
  /** what the check after the load found; undefined when an earlier run seeded it */
  check: string | undefined;
}

const EVENTS_PER_BATCH = 10_000;
/** Tickets whose streams are read back and compared with the generator's events. */
const SAMPLED_TICKETS = 200;
/** Events read back through readAll from the start, checking order and revisions. */
const CHECKED_EVENTS = 20_000;

const CREATE_SEED_TABLE = [
  `CREATE SCHEMA IF NOT EXISTS bench`,
  `COMMENT ON SCHEMA bench IS 'Bookkeeping of npm run bench -- projections; not part of the product.'`,
  `CREATE TABLE IF NOT EXISTS bench.seeded_workload (
     tickets integer NOT NULL,
     seed bigint NOT NULL,
     start_at timestamptz NOT NULL,
     days integer NOT NULL,
     appends bigint NOT NULL,
     events bigint NOT NULL,
     event_types jsonb NOT NULL,
     seconds double precision NOT NULL,
     seeded_at timestamptz NOT NULL DEFAULT now()
   )`,
  `COMMENT ON TABLE bench.seeded_workload IS 'The generated workload the bench bulk-loaded into this event store (one row), ` +
    `so a kept database is reused, not seeded again.'`,
  `COMMENT ON COLUMN bench.seeded_workload.tickets IS 'Tickets generated (libs/workload/src/ticket-load.ts).'`,
  `COMMENT ON COLUMN bench.seeded_workload.seed IS 'The generator''s seed.'`,
  `COMMENT ON COLUMN bench.seeded_workload.start_at IS 'The first opening.'`,
  `COMMENT ON COLUMN bench.seeded_workload.days IS 'Days over which the tickets open.'`,
  `COMMENT ON COLUMN bench.seeded_workload.appends IS 'Appends (one per generated command) loaded.'`,
  `COMMENT ON COLUMN bench.seeded_workload.events IS 'Events loaded.'`,
  `COMMENT ON COLUMN bench.seeded_workload.event_types IS 'Events loaded per event type: the mix.'`,
  `COMMENT ON COLUMN bench.seeded_workload.seconds IS 'How long generating and loading took.'`,
  `COMMENT ON COLUMN bench.seeded_workload.seeded_at IS 'When the load finished.'`,
];

interface SeededRow {
  tickets: number;
  seed: string;
  start_at: Date;
  days: number;
  appends: string;
  events: string;
  event_types: Record<string, number>;
  seeded_at: Date;
}

export async function ensureSeeded(pool: pg.Pool, store: PostgresEventStore, workload: SeedWorkload): Promise<SeedOutcome> {
  for (const statement of CREATE_SEED_TABLE) await pool.query(statement);
  const { rows } = await pool.query<SeededRow>(
    'SELECT tickets, seed, start_at, days, appends, events, event_types, seeded_at FROM bench.seeded_workload',
  );
  if (rows.length > 0) {
    const earlier = rows[0];
    const same =
      earlier.tickets === workload.tickets &&
      Number(earlier.seed) === workload.seed &&
      earlier.start_at.getTime() === workload.start.getTime() &&
      earlier.days === workload.days;
    if (!same) {
      throw new Error(
        `this database was seeded with ${earlier.tickets} tickets, seed ${earlier.seed}, ` +
          `${earlier.days} days from ${earlier.start_at.toISOString()}; ` +
          'run with those options, or without --reuse to seed a new one',
      );
    }
    return {
      workload,
      appends: Number(earlier.appends),
      events: Number(earlier.events),
      eventTypes: earlier.event_types,
      seconds: undefined,
      seededAt: earlier.seeded_at,
      check: undefined,
    };
  }
  const stored = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0].n);
  if (stored > 0)
    throw new Error(
      `the event store holds ${stored} events that no finished seed wrote (an interrupted run?); ` +
        `run without --reuse to seed a new database`,
    );

  const sampleEvery = Math.max(1, Math.floor(workload.tickets / SAMPLED_TICKETS));
  const sample = new Map<string, TicketEvent[]>();
  let ticketsTaken = 0;
  const eventTypes: Record<string, number> = {};
  const bar = new ProgressBar(process.stderr, 'seed (bulk load)', undefined);
  const started = performance.now();
  const loaded = await bulkLoad(
    pool,
    seedAppends(workload, (ticket, ordinal) => {
      ticketsTaken = ordinal + 1;
      if (ordinal % sampleEvery === 0) sample.set(ticket.ticketId, ticket.events);
      for (const event of ticket.events) eventTypes[event.type] = (eventTypes[event.type] ?? 0) + 1;
    }),
    {
      eventsPerBatch: EVENTS_PER_BATCH,
      onBatch: (progress) => {
        // The total is unknown until the last ticket is generated; the share of tickets taken extrapolates it.
        bar.setTotal(Math.round((progress.events * workload.tickets) / Math.max(1, ticketsTaken)));
        bar.update(progress.events);
      },
    },
  );
  bar.setTotal(loaded.events);
  bar.finish(loaded.events);
  const seconds = (performance.now() - started) / 1000;
  const check = await checkSeed(pool, store, loaded.events, sample);
  const { rows: recorded } = await pool.query<{ seeded_at: Date }>(
    'INSERT INTO bench.seeded_workload (tickets, seed, start_at, days, appends, events, event_types, seconds) ' +
      'VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seeded_at',
    [workload.tickets, workload.seed, workload.start, workload.days, loaded.appends, loaded.events, JSON.stringify(eventTypes), seconds],
  );
  return { workload, appends: loaded.appends, events: loaded.events, eventTypes, seconds, seededAt: recorded[0].seeded_at, check };
}

/**
 * What the bulk load wrote, read back through the port: every event is there; the first
 * events come in strictly increasing positions with each stream's revisions from 0 without a
 * gap; sampled tickets' streams decode to exactly the events the generator made, and fold.
 */
async function checkSeed(pool: pg.Pool, store: PostgresEventStore, events: number, sample: Map<string, TicketEvent[]>): Promise<string> {
  const stored = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0].n);
  if (stored !== events) throw new Error(`seed check: the bulk load reported ${events} events, the store holds ${stored}`);
  const revisions = new Map<string, number>();
  let previous: string | undefined;
  let read = 0;
  while (read < Math.min(CHECKED_EVENTS, events)) {
    const page = await store.readAll({ after: previous, maxCount: 1000 });
    for (const event of page.events) {
      if (previous !== undefined && comparePositions(previous, event.position) >= 0)
        throw new Error(`seed check: readAll gave ${event.position} after ${previous}`);
      const expected = (revisions.get(event.streamId) ?? -1) + 1;
      if (event.revision !== expected)
        throw new Error(`seed check: ${event.streamId} revision ${event.revision} where ${expected} was due`);
      revisions.set(event.streamId, event.revision);
      previous = event.position;
      read += 1;
    }
    if (page.isEnd) break;
  }
  for (const [ticketId, generated] of sample) {
    const decoded = (await store.readStream(ticketStreamId(ticketId))).map(decodeTicketEvent);
    // The generator's events hold `undefined` where the store keeps no key at all.
    if (!isDeepStrictEqual(decoded, JSON.parse(JSON.stringify(generated))))
      throw new Error(`seed check: ticket ${ticketId} reads back other events than were generated`);
    if (!fold(decoded).exists) throw new Error(`seed check: ticket ${ticketId} folds to no ticket`);
  }
  return (
    `all ${stored.toLocaleString('en-US')} events stored; readAll gives the first ${read.toLocaleString('en-US')} in strictly ` +
    `increasing positions with gap-free revisions; ` +
    `readStream of ${sample.size} sampled tickets decodes to their generated events`
  );
}
