import type pg from 'pg';
import {
  DuplicateEventIdError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadOutsideOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type StreamsPage,
  type Subscription,
} from '../port/event-store.js';
import { collidingEventId, isEventIdCollision, isRevisionTaken, toAppendError } from './append-errors.js';
import { PollingSubscription } from './polling-subscription.js';
import { comparePositions, formatPosition, parsePosition } from './position.js';
import {
  APPEND_EVENTS,
  APPEND_ONE_EVENT,
  FIND_APPENDED,
  type AppendOneRow,
  type AppendRow,
  type FindAppendedRow,
} from './schema/append.js';
import type { EventRow } from './schema/event-row.js';
import { HEAD_POSITION, type HeadPositionRow } from './schema/head-position.js';
import { READ_ALL, READ_ALL_FILTERED, streamPrefixPattern, type ReadAllFilteredRow, type ReadAllRow } from './schema/read-all.js';
import { LAST_REVISION, READ_STREAM_BACKWARDS, READ_STREAM_FORWARDS } from './schema/read-stream.js';
import { READ_OUTSIDE, READ_STREAM_REST, READ_STREAMS, streamPrefixEnd } from './schema/read-streams.js';

export interface PostgresEventStoreOptions {
  /** How long a caught-up subscription waits before looking again; default 25 ms. */
  pollIntervalMs?: number;
  /** Rows per all-stream page: subscriptions, and readAll without maxCount; default 1000. */
  pageSize?: number;
}

/**
 * The PostgreSQL adapter of the event-store port (DESIGN.md §4) over the tables that
 * `migrateEventStore` creates. The caller owns the pool: every operation borrows one
 * connection for one statement, and `close` ends only this store's subscriptions.
 */
export class PostgresEventStore implements EventStore {
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly subscriptions = new Set<PollingSubscription>();

  constructor(
    private readonly pool: pg.Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    this.pollIntervalMs = positiveInteger(options.pollIntervalMs ?? 25, 'pollIntervalMs');
    this.pageSize = positiveInteger(options.pageSize ?? 1000, 'pageSize');
  }

  async append(streamId: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`append to ${streamId}: at least one event is needed`);
    const expected = expectedRevisionParameter(options.expectedRevision);
    if (events.length === 1) {
      const appended = await this.appendOne(streamId, events[0], options.expectedRevision, expected);
      if (appended) {
        for (const subscription of this.subscriptions) subscription.notify();
        return appended;
      }
    }
    const payload = JSON.stringify(events.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata })));
    let row: AppendRow;
    try {
      row = (await this.pool.query<AppendRow>({ ...APPEND_EVENTS, values: [streamId, expected, payload] })).rows[0];
    } catch (error) {
      if (isEventIdCollision(error)) return this.earlierAppend(streamId, events, payload, options.expectedRevision, error);
      throw toAppendError(error, streamId, options.expectedRevision, events[0].eventId);
    }
    for (const subscription of this.subscriptions) subscription.notify();
    return toAppendResult(row);
  }

  /**
   * One event in one statement (APPEND_ONE_EVENT); undefined when it wrote nothing because it
   * cannot tell the answer alone (a mismatching revision, a lost race, a stored event id): the
   * append function then gives the final one.
   */
  private async appendOne(
    streamId: string,
    event: EventToAppend,
    expected: ExpectedRevision,
    expectedParameter: string,
  ): Promise<AppendResult | undefined> {
    const exact = typeof expected === 'number';
    let rows: AppendOneRow[];
    try {
      ({ rows } = await this.pool.query<AppendOneRow>({
        ...APPEND_ONE_EVENT,
        values: [
          streamId,
          exact ? 'exact' : expectedParameter,
          exact ? expectedParameter : null,
          event.eventId,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
        ],
      }));
    } catch (error) {
      if (isRevisionTaken(error) || isEventIdCollision(error)) return undefined;
      throw toAppendError(error, streamId, expected, event.eventId);
    }
    if (rows.length === 0) return undefined;
    return {
      nextExpectedRevision: Number(rows[0].revision),
      position: formatPosition(rows[0].transaction_id, rows[0].global_seq),
      alreadyAppended: false,
    };
  }

  /** After a collision on an event id: the answer of the earlier append these events were, or DuplicateEventIdError. */
  private async earlierAppend(
    streamId: string,
    events: EventToAppend[],
    payload: string,
    expected: ExpectedRevision,
    collision: pg.DatabaseError,
  ): Promise<AppendResult> {
    let row: FindAppendedRow;
    try {
      row = (await this.pool.query<FindAppendedRow>({ ...FIND_APPENDED, values: [streamId, payload] })).rows[0];
    } catch (error) {
      throw toAppendError(error, streamId, expected, events[0].eventId);
    }
    if (!row.already_appended) throw new DuplicateEventIdError(streamId, collidingEventId(collision, events[0].eventId));
    return toAppendResult(row);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from =
      options.fromRevision === undefined
        ? backwards
          ? LAST_REVISION
          : '0'
        : String(nonNegativeInteger(options.fromRevision, 'fromRevision'));
    const limit = options.maxCount === undefined ? null : nonNegativeInteger(options.maxCount, 'maxCount');
    const { rows } = await this.pool.query<EventRow>({
      ...(backwards ? READ_STREAM_BACKWARDS : READ_STREAM_FORWARDS),
      rowMode: 'array',
      values: [streamId, from, limit],
    });
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    // A page of zero rows would never advance, so readAll needs at least one.
    const limit = options.maxCount === undefined ? this.pageSize : positiveInteger(options.maxCount, 'maxCount');
    const after = options.after === undefined ? undefined : parsePosition(options.after);
    const transactionId = after?.transactionId.toString() ?? '0';
    const globalSeq = after?.globalSeq.toString() ?? '0';
    const prefixes = options.filter?.streamPrefixes?.map(streamPrefixPattern) ?? null;
    const types = options.filter?.eventTypes ?? null;
    const events: RecordedEvent[] = [];
    let rowCount: number;
    let lastRow: ReadAllRow | ReadAllFilteredRow | undefined;
    if (prefixes === null && types === null) {
      // Without a filter every row is kept: the plain keyset read spares the server the subquery and CASEs.
      const { rows } = await this.pool.query<ReadAllRow>({ ...READ_ALL, rowMode: 'array', values: [transactionId, globalSeq, limit] });
      for (const row of rows) events.push(readAllEvent(row));
      rowCount = rows.length;
      lastRow = rows.at(-1);
    } else {
      const { rows } = await this.pool.query<ReadAllFilteredRow>({
        ...READ_ALL_FILTERED,
        rowMode: 'array',
        values: [transactionId, globalSeq, limit, prefixes, types],
      });
      for (const row of rows) {
        if (row[9]) events.push(readAllEvent(row));
      }
      rowCount = rows.length;
      lastRow = rows.at(-1);
    }
    return {
      events,
      nextAfter: lastRow === undefined ? options.after : formatPosition(lastRow[0], lastRow[1]),
      isEnd: rowCount < limit,
    };
  }

  /**
   * Whole streams through the unique (stream_id, revision) index: the page is read one row past
   * `maxEvents` streams' worth and cut before its last, possibly partial, stream; a single
   * stream longer than the page is completed with a second read.
   */
  async readStreams(options: ReadStreamsOptions): Promise<StreamsPage> {
    const limit = positiveInteger(options.maxEvents ?? 10_000, 'maxEvents');
    const head = parsePosition(options.upTo);
    const { rows } = await this.pool.query<EventRow>({
      ...READ_STREAMS,
      rowMode: 'array',
      values: [
        options.afterStreamId ?? '',
        options.streamPrefix,
        streamPrefixEnd(options.streamPrefix),
        head.transactionId.toString(),
        head.globalSeq.toString(),
        limit + 1,
      ],
    });
    const streams: RecordedEvent[][] = [];
    let current: RecordedEvent[] | undefined;
    for (const row of rows) {
      const event = toRecordedEvent(row);
      if (current?.[0].streamId !== event.streamId) {
        current = [];
        streams.push(current);
      }
      current.push(event);
    }
    const isEnd = rows.length <= limit;
    if (!isEnd) {
      // The last stream may go on past the page: read it again next time, unless it is the only one.
      if (streams.length > 1) streams.pop();
      else if (current) {
        const last = current[current.length - 1];
        const rest = await this.pool.query<EventRow>({
          ...READ_STREAM_REST,
          rowMode: 'array',
          values: [last.streamId, String(last.revision), head.transactionId.toString(), head.globalSeq.toString()],
        });
        for (const row of rest.rows) current.push(toRecordedEvent(row));
      }
    }
    return { streams, lastStreamId: streams.at(-1)?.[0].streamId, isEnd };
  }

  async readOutside(options: ReadOutsideOptions): Promise<RecordedEvent[]> {
    const limit = positiveInteger(options.maxCount ?? 10_000, 'maxCount');
    const after = options.after === undefined ? undefined : parsePosition(options.after);
    const head = parsePosition(options.upTo);
    const { rows } = await this.pool.query<EventRow>({
      ...READ_OUTSIDE,
      rowMode: 'array',
      values: [
        after?.transactionId.toString() ?? '0',
        after?.globalSeq.toString() ?? '0',
        head.transactionId.toString(),
        head.globalSeq.toString(),
        options.streamPrefix,
        streamPrefixEnd(options.streamPrefix),
        options.eventTypes ?? null,
        limit,
      ],
    });
    return rows.map(toRecordedEvent);
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    if (options.after !== undefined) parsePosition(options.after);
    const filter = options.filter;
    const subscription = new PollingSubscription(
      (after) => this.readAll({ after, filter, maxCount: this.pageSize }),
      options.after,
      this.pollIntervalMs,
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<string | undefined> {
    const { rows } = await this.pool.query<HeadPositionRow>(HEAD_POSITION);
    return rows.length === 0 ? undefined : formatPosition(rows[0].transaction_id, rows[0].global_seq);
  }

  comparePositions(a: string, b: string): number {
    return comparePositions(a, b);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }
}

function toAppendResult(row: AppendRow): AppendResult {
  return {
    nextExpectedRevision: Number(row.last_revision),
    position: formatPosition(row.transaction_id, row.global_seq),
    alreadyAppended: row.already_appended,
  };
}

function toRecordedEvent([position, streamId, revision, eventId, type, data, metadata, recordedAtMs]: EventRow): RecordedEvent {
  return { streamId, revision: Number(revision), position, eventId, type, data, metadata, recordedAt: new Date(recordedAtMs) };
}

function readAllEvent([transactionId, globalSeq, streamId, revision, eventId, type, data, metadata, recordedAtMs]:
  ReadAllRow | ReadAllFilteredRow): RecordedEvent {
  if (data === null || metadata === null) throw new Error(`event ${eventId} came back without its payload`);
  return {
    streamId,
    revision: Number(revision),
    position: formatPosition(transactionId, globalSeq),
    eventId,
    type,
    data,
    metadata,
    recordedAt: new Date(recordedAtMs),
  };
}

function expectedRevisionParameter(expected: ExpectedRevision): string {
  if (typeof expected === 'number') return String(nonNegativeInteger(expected, 'expectedRevision'));
  return expected;
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, not ${value}`);
  return value;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, not ${value}`);
  return value;
}
