/**
 * The event-store port (DESIGN.md §4). The ticket streams are the system of record; both the
 * PostgreSQL adapter and the EventStoreDB adapter implement this and pass one conformance suite.
 *
 * Positions are opaque strings: only the adapter that made them may compare them
 * (`comparePositions`). They are never JS numbers, so no precision is lost in JSON.
 */

export const EVENT_STORE = Symbol('EVENT_STORE');

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** What the caller expects the stream to be before the append. */
export type ExpectedRevision =
  | 'any'
  | 'no_stream'
  | 'stream_exists'
  /** the revision of the stream's last event (0-based) */
  | number;

export interface EventToAppend {
  /** A UUID. Appending an event id that the stream already holds is an idempotent no-op. */
  eventId: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}

export interface RecordedEvent {
  streamId: string;
  /** 0-based revision of the event in its stream */
  revision: number;
  /** global position in the all-stream */
  position: string;
  eventId: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  /** when the store committed it */
  recordedAt: Date;
}

export interface AppendResult {
  /** revision of the last event now in the stream */
  nextExpectedRevision: number;
  /** global position of the last appended event */
  position: string;
  /** true when every event id was already in the stream: nothing was written */
  alreadyAppended: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** inclusive; default: the first (forwards) or last (backwards) event */
  fromRevision?: number;
  maxCount?: number;
}

export interface AllFilter {
  /** keep events whose stream id starts with one of these */
  streamPrefixes?: string[];
  /** keep events of these types */
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** exclusive: events after this position; default: from the start */
  after?: string;
  filter?: AllFilter;
  maxCount?: number;
}

export interface ReadAllPage {
  events: RecordedEvent[];
  /**
   * Where the next page starts (pass as `after`). With a filter it may be beyond the last
   * returned event: the events between were read and filtered out. Undefined if the
   * read covered nothing (an empty store and no `after`).
   */
  nextAfter: string | undefined;
  /** true when the read reached the end of what is safely visible now */
  isEnd: boolean;
}

export interface ReadStreamsOptions {
  /** The streams read: those whose id starts with this (non-empty) prefix, in stream-id byte order. */
  streamPrefix: string;
  /** Exclusive: the streams after this id; default from the first. */
  afterStreamId?: string;
  /** Inclusive: only events at or before this position (a head fixed beforehand). */
  upTo: string;
  /**
   * Soft limit on the events of a page: whole streams only, so a page ends before the stream
   * that would pass it, and holds at least one stream however long. Default 10,000.
   */
  maxEvents?: number;
}

export interface StreamsPage {
  /** Each stream's events from revision 0 in revision order, none after `upTo`; streams without one are left out. */
  streams: RecordedEvent[][];
  /** The id of the page's last stream (pass as `afterStreamId`); undefined for an empty page. */
  lastStreamId: string | undefined;
  /** true when no stream of the prefix after this page has an event at or before `upTo` */
  isEnd: boolean;
}

export interface ReadOutsideOptions {
  /** The events of streams NOT starting with this prefix are read. */
  streamPrefix: string;
  /** Exclusive: events after this position; default from the start. */
  after?: string;
  /** Inclusive: only events at or before this position. */
  upTo: string;
  /** Keep events of these types only; default all. */
  eventTypes?: string[];
  /** At most this many events; default 10,000. */
  maxCount?: number;
}

/**
 * The per-stream reads behind a projection's per-stream rebuild (Marten's optimized rebuild):
 * optional, and implemented together. A store without them rebuilds through `readAll`.
 */
export interface PerStreamReads {
  /** Whole streams of a prefix up to a fixed head, stream after stream: the rebuild folds each once. */
  readStreams(options: ReadStreamsOptions): Promise<StreamsPage>;
  /**
   * The other streams' events up to the same head, in all-stream order (the page's last event is
   * where the next page starts; an empty page means none is left).
   */
  readOutside(options: ReadOutsideOptions): Promise<RecordedEvent[]>;
}

export type SubscriptionMessage =
  | { kind: 'event'; event: RecordedEvent }
  /** history is delivered; live events follow */
  | { kind: 'caughtUp'; position: string | undefined };

export interface SubscribeOptions {
  after?: string;
  filter?: AllFilter;
}

export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  close(): Promise<void>;
}

export interface EventStore extends Partial<PerStreamReads> {
  append(streamId: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  /** An unknown stream yields an empty list (not an error). */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<ReadAllPage>;
  /** Catches up from `after`, then follows live appends, never skipping or repeating one. */
  subscribe(options?: SubscribeOptions): Subscription;
  /** The position after every event visible now (undefined for an empty store). */
  headPosition(): Promise<string | undefined>;
  comparePositions(a: string, b: string): number;
  /** The store answers (used by /health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** the stream's current revision, or 'no_stream' */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, but it is ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event id that is already in another stream, or a partial overlap with an earlier append. */
export class DuplicateEventIdError extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`event ${eventId} is already stored and does not match this append to ${streamId}`);
    this.name = 'DuplicateEventIdError';
  }
}

/**
 * The store cannot be reached or did not answer in time (EventStoreDB down, a lost leader, a
 * deadline). Nothing was written by the failed call as far as the caller can rely on: an append
 * may still have landed, which the deterministic event ids and the commands table make safe to retry.
 */
export class EventStoreUnavailableError extends Error {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(`the event store is unavailable (${operation})`, options);
    this.name = 'EventStoreUnavailableError';
  }
}
