import pg from 'pg';
import { DuplicateEventIdError, WrongExpectedRevisionError, type EventToAppend, type JsonObject } from '../port/event-store.js';
import { collidingEventId, isEventIdCollision } from './append-errors.js';
import {
  ANALYZE_EVENTS,
  BULK_INSERT_EVENTS,
  STREAM_LAST_REVISION,
  STREAM_REVISION_UNIQUE_CONSTRAINT,
  STREAMS_WITH_EVENTS,
  type BulkInsertRow,
} from './bulk-load.sql.js';
import { formatPosition } from './position.js';

/** One append, as the port's `append` would get it. */
export interface BulkAppend {
  streamId: string;
  /** `no_stream` for a stream's first append, then the revision of its last event (0-based) */
  expectedRevision: 'no_stream' | number;
  events: EventToAppend[];
}

export interface BulkLoadProgress {
  appends: number;
  events: number;
  /** streams this load has taken appends for */
  streams: number;
  /** position of the last event stored so far */
  lastPosition: string | undefined;
}

export interface BulkLoadOptions {
  /** Events per batch (one statement, one transaction); appends are never split. Default 10,000. */
  eventsPerBatch?: number;
  /** After each batch has committed. */
  onBatch?: (progress: BulkLoadProgress) => void;
}

type Row = [streamId: string, revision: number, eventId: string, type: string, data: JsonObject, metadata: JsonObject];

const UNIQUE_VIOLATION = '23505';
const STREAM_REVISION_IN_DETAIL = /^Key \(stream_id, revision\)=\((.*), (\d+)\) already exists\.$/;

/**
 * Writes appends into the PostgreSQL event store many thousands at a time, stored exactly as
 * `PostgresEventStore.append` would have stored them one by one: same columns, revisions
 * counted on from each stream's last one, the all-stream order (transaction_id, global_seq)
 * the order of `appends`, each stream's revisions following that order. For seeding a store
 * (benchmarks, imports) at a speed the one-transaction-per-append path cannot reach (it is
 * commit-bound: a few thousand appends per second).
 *
 * What it leaves out, and so asks of the caller:
 * - Nobody else appends to the streams being loaded while the load runs. An append takes an
 *   advisory lock on its stream (so stream order agrees with global order); a batch would
 *   need thousands of them, more than the server's lock table holds. Readers and
 *   subscriptions may run meanwhile: a batch is one transaction and becomes visible whole.
 * - No idempotency: an event id that is already stored fails the batch
 *   (`DuplicateEventIdError`); a stream that exists while `no_stream` was expected fails it
 *   with `WrongExpectedRevisionError`.
 * A failure leaves the batches before it stored. Another load can continue their streams
 * (with numeric expected revisions), and so can the port.
 *
 * One batch is written at a time, while the next is being gathered: a later batch always
 * gets a later transaction id, which keeps each stream's events in order across batches.
 * Memory: one entry per stream written (its last revision) and one batch. A load that wrote
 * events ends with `ANALYZE` of the events table.
 */
export async function bulkLoad(
  pool: pg.Pool,
  appends: Iterable<BulkAppend> | AsyncIterable<BulkAppend>,
  options: BulkLoadOptions = {},
): Promise<BulkLoadProgress> {
  const eventsPerBatch = options.eventsPerBatch ?? 10_000;
  if (!Number.isSafeInteger(eventsPerBatch) || eventsPerBatch < 1)
    throw new RangeError(`eventsPerBatch must be a positive integer, not ${eventsPerBatch}`);
  const lastRevisions = new Map<string, number>();
  const progress: BulkLoadProgress = { appends: 0, events: 0, streams: 0, lastPosition: undefined };
  let batch: Row[] = [];
  let batchAppends = 0;
  let writing: Promise<void> | undefined;
  let failure: { error: unknown } | undefined;

  const write = async (rows: Row[], appendCount: number): Promise<void> => {
    const stored = await insertBatch(pool, rows);
    progress.appends += appendCount;
    progress.events += stored.events;
    progress.streams = lastRevisions.size;
    progress.lastPosition = formatPosition(stored.transaction_id, stored.global_seq);
    options.onBatch?.({ ...progress });
  };
  const settle = async (): Promise<void> => {
    await writing;
    writing = undefined;
    if (failure) throw failure.error;
  };

  for await (const append of appends) {
    if (append.events.length === 0) throw new RangeError(`bulk load into ${append.streamId}: an append needs at least one event`);
    const last = lastRevisions.get(append.streamId) ?? (await storedLastRevision(pool, append));
    if ((last ?? 'no_stream') !== append.expectedRevision)
      throw new WrongExpectedRevisionError(append.streamId, append.expectedRevision, last ?? 'no_stream');
    const first = last === undefined ? 0 : last + 1;
    append.events.forEach((event, index) =>
      batch.push([append.streamId, first + index, event.eventId, event.type, event.data, event.metadata]),
    );
    lastRevisions.set(append.streamId, first + append.events.length - 1);
    batchAppends += 1;
    if (batch.length >= eventsPerBatch) {
      await settle();
      // Not awaited: the next batch is gathered while this one is written. Its failure is
      // kept, not left unhandled, and raised at the next settle.
      writing = write(batch, batchAppends).catch((error: unknown) => {
        failure = { error };
      });
      batch = [];
      batchAppends = 0;
    }
  }
  await settle();
  if (batch.length > 0) await write(batch, batchAppends);
  // Fresh statistics for what usually follows a load (a rebuild's per-stream reads): on a table
  // autoanalyze has not reached yet, the planner sorted the whole prefix to disk for each page.
  if (progress.events > 0) await pool.query(ANALYZE_EVENTS);
  return progress;
}

/**
 * Which of `streamIds` already hold events, in one round trip: a loader of many new streams
 * (an import) reads back only those, instead of asking per stream.
 */
export async function streamsWithEvents(pool: pg.Pool, streamIds: readonly string[]): Promise<Set<string>> {
  if (streamIds.length === 0) return new Set();
  const { rows } = await pool.query<{ stream_id: string }>({ ...STREAMS_WITH_EVENTS, values: [[...streamIds]] });
  return new Set(rows.map((row) => row.stream_id));
}

/**
 * A stream this load has not written yet: `no_stream` is taken on trust (the unique index
 * refuses it if the stream exists after all); a numeric expectation is checked against the
 * store, so continuing a stream never leaves a gap in its revisions.
 */
async function storedLastRevision(pool: pg.Pool, append: BulkAppend): Promise<number | undefined> {
  if (append.expectedRevision === 'no_stream') return undefined;
  const { rows } = await pool.query<{ revision: string | null }>({ ...STREAM_LAST_REVISION, values: [append.streamId] });
  return rows[0].revision === null ? undefined : Number(rows[0].revision);
}

async function insertBatch(pool: pg.Pool, rows: Row[]): Promise<BulkInsertRow> {
  try {
    return (await pool.query<BulkInsertRow>({ ...BULK_INSERT_EVENTS, values: [JSON.stringify(rows)] })).rows[0];
  } catch (error) {
    throw await toBulkLoadError(pool, error, rows);
  }
}

/** The unique indexes' refusals as the port's errors; anything else unchanged. */
async function toBulkLoadError(pool: pg.Pool, error: unknown, rows: Row[]): Promise<unknown> {
  if (isEventIdCollision(error)) {
    const eventId = collidingEventId(error, rows[0][2]);
    const row = rows.find((candidate) => candidate[2] === eventId) ?? rows[0];
    return new DuplicateEventIdError(row[0], eventId);
  }
  if (!(error instanceof pg.DatabaseError) || error.code !== UNIQUE_VIOLATION || error.constraint !== STREAM_REVISION_UNIQUE_CONSTRAINT)
    return error;
  const taken = STREAM_REVISION_IN_DETAIL.exec(error.detail ?? '');
  if (!taken) return error;
  const [, streamId, revision] = taken;
  const { rows: found } = await pool.query<{ revision: string | null }>({ ...STREAM_LAST_REVISION, values: [streamId] });
  const actual = found[0].revision === null ? 'no_stream' : Number(found[0].revision);
  const expected = Number(revision) === 0 ? 'no_stream' : Number(revision) - 1;
  return new WrongExpectedRevisionError(streamId, expected, actual);
}
