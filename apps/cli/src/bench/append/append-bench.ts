import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { EventToAppend, ExpectedRevision, JsonObject } from '#event-store/port/event-store.js';
import { migrateEventStore } from '#event-store/postgres/migrate.js';
import { PostgresEventStore } from '#event-store/postgres/postgres-event-store.js';
import { endPool } from '#read-model/postgres/close-pools.js';
import { parseOptions as parseCliOptions } from '../../rebuild/parse-options.js';
import { UsageError } from '../../usage.js';
import { describeServer, openBenchDatabase } from '../shared/bench-database.js';
import { figuresVsGoals, loadAverage, type Figure } from '../shared/goals.js';
import { describeMachine, forDuration, formatRate, measured, median, stderrLog, table, type Measurement } from '../shared/measure.js';
import { writeBenchResult } from '../shared/results.js';
import { AppendProfiler, describeCost } from './append-profile.js';

/*
 * `npm run bench -- append`: what one event per append costs through the port compared
 * with the cheapest durable write PostgreSQL can do (a one-row INSERT in autocommit), on the
 * same server in the same run, and how fast the all-stream reads back.
 *
 * The server keeps its default durability (fsync, synchronous_commit on): the figures are
 * commit-bound the way production is. Everything goes into a database made for the run and
 * dropped after it, also with DATABASE_URL.
 */

const GOAL_APPEND_RATIO = 0.7;
const GOAL_READ_ALL_PER_SECOND = 150_000;
/** A ticket stream is short; writers move on to a new stream after this many events. */
const EVENTS_PER_STREAM = 20;
const SEED_BATCH = 100;
const READ_PAGE = 1000;
const READ_PASSES = 3;
/*
 * The raw and port measurements alternate in slices of this length, so disk and CPU
 * conditions (a shared machine, a checkpoint) weigh on both alike.
 */
const SLICE_SECONDS = 1;
/** The writers' connections carry it, so the profile samples only them. */
const WRITERS_APPLICATION = 'bench-append-writers';

/** `bench append --help` */
export const APPEND_BENCH_USAGE = `usage: bench append [--seconds 10] [--writers 8] [--read-events 100000] [--profile]
  --seconds       how long each append measurement runs
  --writers       concurrent clients for the multi-client measurements
  --read-events   events the all-stream read covers at least (seeded with 100-event appends)
  --profile       also measure a plain INSERT into a table shaped like the events table, and print
                  per event, for the multi-client measurements: CPU of the bench and of PostgreSQL's
                  backends, WAL bytes, and what the backends were waiting on (append-profile.ts)
With DATABASE_URL the bench uses that server (it creates and drops a database of its own);
otherwise it starts an embedded PostgreSQL with default settings in a temporary folder.`;

interface BenchOptions {
  seconds: number;
  writers: number;
  readEvents: number;
  profile: boolean;
}

export async function appendBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const loadAtStart = loadAverage();
  const log = stderrLog;
  const target = await openBenchDatabase({ name: 'event_store_bench', log });
  try {
    await run(target.url, target.description, options, loadAtStart, log);
  } finally {
    await target.close();
  }
}

function parseOptions(args: string[]): BenchOptions {
  // A wrong option is a usage error (exit 2 with the usage), not a failure with a stack.
  const { values } = parseCliOptions(
    {
      args,
      options: {
        seconds: { type: 'string', default: '10' },
        writers: { type: 'string', default: '8' },
        'read-events': { type: 'string', default: '100000' },
        profile: { type: 'boolean', default: false },
      },
      allowPositionals: false,
      strict: true,
    },
    'bench append --help',
  );
  const positive = (value: string, name: string): number => {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0)
      throw new UsageError(`--${name} must be a positive number, not ${value}; see bench append --help`);
    return number;
  };
  return {
    seconds: positive(values.seconds, 'seconds'),
    writers: Math.round(positive(values.writers, 'writers')),
    readEvents: Math.round(positive(values['read-events'], 'read-events')),
    profile: values.profile,
  };
}

async function run(
  url: string,
  description: string,
  options: BenchOptions,
  loadAtStart: string,
  log: (message: string, fields?: Record<string, unknown>) => void,
): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: options.writers + 1, application_name: WRITERS_APPLICATION });
  // An idle connection that the server drops would otherwise crash the process with an unhandled 'error'.
  pool.on('error', (error) => log('idle bench connection failed', { error: error.message }));
  try {
    const server = await describeServer(pool);
    await migrateEventStore(pool);
    await pool.query('CREATE TABLE raw_inserts (id bigserial PRIMARY KEY, data jsonb NOT NULL, metadata jsonb NOT NULL)');
    const store = new PostgresEventStore(pool, { pageSize: READ_PAGE });
    // The baseline stores the same bytes as an event, so the ratio shows what the store adds.
    const sample = sampleEvent();
    const data = JSON.stringify(sample.data);
    const metadata = JSON.stringify(sample.metadata);

    const rawInsert = (clients: number): Promise<Measurement> =>
      forDuration(clients, SLICE_SECONDS, async () => {
        await pool.query({
          name: 'bench.raw_insert',
          text: 'INSERT INTO raw_inserts (data, metadata) VALUES ($1::jsonb, $2::jsonb)',
          values: [data, metadata],
        });
        return 1;
      });

    const writerStates = new Map<string, { streamId: string; expected: ExpectedRevision; count: number }[]>();
    const appendOneByOne = (writers: number, label: string): Promise<Measurement> => {
      const streams =
        writerStates.get(label) ??
        Array.from({ length: writers }, () => ({ streamId: '', expected: 'no_stream' as ExpectedRevision, count: 0 }));
      writerStates.set(label, streams);
      return forDuration(writers, SLICE_SECONDS, async (writer) => {
        const state = streams[writer];
        if (state.count % EVENTS_PER_STREAM === 0) {
          state.streamId = `bench-${label}-${writer}-${randomUUID()}`;
          state.expected = 'no_stream';
        }
        const result = await store.append(state.streamId, [sampleEvent()], { expectedRevision: state.expected });
        state.expected = result.nextExpectedRevision;
        state.count += 1;
        return 1;
      });
    };

    const [raw1, port1] = await alternate(options.seconds, [() => rawInsert(1), () => appendOneByOne(1, 'single')], (slice) =>
      log(`raw INSERT and port append, 1 client, slice ${slice}`),
    );
    // The profile's extra measurement: the same row into a table with the events table's shape
    // (its three indexes, the transaction id default), without the stream lock and revision check.
    await pool.query('CREATE TABLE shaped_inserts (LIKE event_store.events INCLUDING ALL)');
    const shapedInsert = (clients: number): Promise<Measurement> =>
      forDuration(clients, SLICE_SECONDS, async () => {
        const eventId = randomUUID();
        await pool.query({
          name: 'bench.shaped_insert',
          text: `INSERT INTO shaped_inserts (stream_id, revision, event_id, type, data, metadata)
                 VALUES ($1, 0, $2::uuid, 'TicketOpened', $3::jsonb, $4::jsonb)`,
          values: [`bench-shaped-${eventId}`, eventId, data, metadata],
        });
        return 1;
      });
    const sampler = options.profile ? new pg.Client({ connectionString: url, application_name: 'bench-append-profile' }) : undefined;
    await sampler?.connect();
    const profiler = sampler ? new AppendProfiler(pool, sampler, WRITERS_APPLICATION) : undefined;
    const profiled = (label: string, run: () => Promise<Measurement>) => (): Promise<Measurement> =>
      profiler ? profiler.measure(label, run) : run();
    const [rawN, portN, shapedN] = await alternate(
      options.seconds,
      [
        profiled('raw', () => rawInsert(options.writers)),
        profiled('port', () => appendOneByOne(options.writers, 'multi')),
        ...(profiler ? [profiled('shaped', () => shapedInsert(options.writers))] : []),
      ],
      (slice) => log(`raw INSERT and port append${profiler ? ', shaped INSERT' : ''}, ${options.writers} clients, slice ${slice}`),
    );
    await sampler?.end();

    const stored = Number((await pool.query<{ count: string }>('SELECT count(*) FROM event_store.events')).rows[0].count);
    const seeded = await seed(store, options.readEvents - stored, options.writers, log);
    const total = stored + seeded;
    const passes: Measurement[] = [];
    for (let pass = 0; pass < READ_PASSES; pass += 1) {
      log(`readAll pass ${pass + 1} of ${READ_PASSES} over ${total} events`);
      passes.push(await readEverything(store, total));
    }
    const readAll = passes.find((pass) => pass.perSecond === median(passes.map((each) => each.perSecond))) ?? passes[0];

    const ratio = portN.perSecond / rawN.perSecond;
    const row = (what: string, clients: number, measurement: Measurement): string[] => [
      what,
      String(clients),
      formatRate(measurement.operations),
      measurement.seconds.toFixed(1),
      formatRate(measurement.perSecond),
    ];
    const figures: Figure[] = [
      {
        name: `port append, ${options.writers} writers, vs raw ${options.writers}-client INSERTs`,
        measured: `${(ratio * 100).toFixed(1)}%`,
        goal: `≥ ${Math.round(GOAL_APPEND_RATIO * 100)}%`,
        met: ratio >= GOAL_APPEND_RATIO,
      },
      {
        name: `readAll, page ${formatRate(READ_PAGE)}`,
        measured: `${formatRate(readAll.perSecond)} events/s`,
        goal: `≥ ${formatRate(GOAL_READ_ALL_PER_SECOND)} events/s`,
        met: readAll.perSecond >= GOAL_READ_ALL_PER_SECOND,
      },
    ];
    const lines = [
      '',
      `append benchmark, ${new Date().toISOString()}`,
      `server:   ${server.version}`,
      `          ${description}; ${server.settings}`,
      `method:   raw and port measurements alternate in ${SLICE_SECONDS} s slices, ${options.seconds} s each in all`,
      `payload:  ${Buffer.byteLength(data)} B data + ${Buffer.byteLength(metadata)} B metadata per event, also per raw row; ` +
        `streams of ${EVENTS_PER_STREAM} events`,
      '',
      table(
        ['measurement', 'clients', 'events', 'seconds', 'events/s'],
        [
          row('raw INSERT, 1 row per autocommit', 1, raw1),
          row('raw INSERT, 1 row per autocommit', options.writers, rawN),
          row('port append, 1 event per call', 1, port1),
          row('port append, 1 event per call', options.writers, portN),
          ...(shapedN ? [row('INSERT into a copy of the events table', options.writers, shapedN)] : []),
          row(`port readAll, page ${READ_PAGE} (median of ${READ_PASSES})`, 1, readAll),
        ],
      ),
      `port-1 / raw-1: ${((port1.perSecond / raw1.perSecond) * 100).toFixed(1)}%; readAll passes ` +
        `${passes.map((pass) => formatRate(pass.perSecond)).join(', ')} events/s over ${formatRate(total)} events`,
      ...(profiler ? profileLines(profiler, options.writers) : []),
      ...figuresVsGoals('figures vs goals (issue 12)', figures, loadAtStart),
      '',
    ];
    process.stdout.write(lines.join('\n'));
    const file = writeBenchResult('append', {
      machine: describeMachine(),
      load: { atStart: loadAtStart, atEnd: loadAverage() },
      postgres: { version: server.version, settings: server.settings, database: description },
      options,
      figures,
      measurements: { raw1, rawN, port1, portN, shapedN, readAll, readAllPasses: passes },
    });
    log(`figures written to ${file}`);
  } finally {
    await endPool(pool);
  }
}

function profileLines(profiler: AppendProfiler, writers: number): string[] {
  const lines = [
    '',
    `profile (--profile), ${writers} clients, per event: CPU of the bench process and of the writers' backends, WAL written, ` +
      `and the writers' backends by state (share of samples every 10 ms)`,
  ];
  for (const [label, what] of [
    ['raw', 'raw INSERT'],
    ['shaped', 'INSERT, events table shape'],
    ['port', 'port append'],
  ]) {
    const cost = profiler.cost(label);
    if (!cost) continue;
    const described = describeCost(cost, writers);
    lines.push(`  ${what.padEnd(27)} ${described.cpu}; WAL ${described.wal}`, `  ${''.padEnd(27)} ${described.states}`);
  }
  return lines;
}

/** Runs each measurement for about `seconds` in all, alternating slices, and sums each one's slices. */
async function alternate(
  seconds: number,
  measurements: (() => Promise<Measurement>)[],
  onSlice: (slice: number) => void,
): Promise<Measurement[]> {
  const totals = measurements.map(() => ({ operations: 0, seconds: 0 }));
  const slices = Math.max(1, Math.round(seconds / SLICE_SECONDS));
  for (let slice = 1; slice <= slices; slice += 1) {
    onSlice(slice);
    for (const [index, measure] of measurements.entries()) {
      const result = await measure();
      totals[index].operations += result.operations;
      totals[index].seconds += result.seconds;
    }
  }
  return totals.map((total) => ({ ...total, perSecond: total.operations / total.seconds }));
}

/** Tops the store up to the read measurement's size with 100-event appends, writers in parallel. */
async function seed(store: PostgresEventStore, missing: number, writers: number, log: (message: string) => void): Promise<number> {
  if (missing <= 0) return 0;
  const appends = Math.ceil(missing / SEED_BATCH);
  log(`seeding ${appends * SEED_BATCH} events for the read measurement`);
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < appends) {
        next += 1;
        const events = Array.from({ length: SEED_BATCH }, () => sampleEvent());
        await store.append(`bench-seed-${randomUUID()}`, events, { expectedRevision: 'no_stream' });
      }
    }),
  );
  return appends * SEED_BATCH;
}

async function readEverything(store: PostgresEventStore, expected: number): Promise<Measurement> {
  const started = process.hrtime.bigint();
  let read = 0;
  let after: string | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: READ_PAGE });
    read += page.events.length;
    after = page.nextAfter;
    if (page.isEnd) break;
  }
  if (read < expected) throw new Error(`readAll returned ${read} events, but ${expected} were appended`);
  return measured(read, started);
}

const OPENED_AT = new Date().toISOString();

/**
 * A TicketOpened of realistic size and shape (DESIGN.md, the ticket stream). Only the ids
 * change from event to event, so the bench measures the store rather than building events.
 */
const SAMPLE_DATA: JsonObject = {
  channel: 'phone',
  customer: { id: randomUUID(), name: 'Ayşe Yılmaz', tier: 'gold' },
  category: 'billing',
  priority: 'high',
  product: 'fibre-100',
  subject: 'Faturamda iki kez ücret kesilmiş, iadesini istiyorum',
  unitId: 'billing-tier-1',
  calendarId: 'always-v1',
  claimDueAt: OPENED_AT,
  responseDueAt: OPENED_AT,
  resolutionDueAt: OPENED_AT,
};

function sampleEvent(): EventToAppend {
  const eventId = randomUUID();
  return {
    eventId,
    type: 'TicketOpened',
    data: SAMPLE_DATA,
    metadata: {
      eventId,
      commandId: eventId,
      correlationId: eventId,
      causationId: eventId,
      actor: { service: 'call-centre', userId: 'agent-042' },
      occurredAt: OPENED_AT,
      schemaVersion: 1,
    },
  };
}
