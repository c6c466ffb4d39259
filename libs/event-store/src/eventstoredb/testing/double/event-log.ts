/**
 * The double's storage: one in-memory transaction log ($all order) with per-stream indexes, and the
 * append decision EventStoreDB's index writer takes (expected state, per-stream idempotency).
 */
import { comparePositions, type LogPosition } from './positions.js';

export interface StoredEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server's `created` metadata. */
  readonly created: bigint;
  readonly position: LogPosition;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

/** `revision` is the stream's last revision after the append, or -1 when nothing exists (an empty append to no stream). */
export type AppendOutcome =
  | { readonly kind: 'written' | 'idempotent'; readonly revision: bigint; readonly position: LogPosition | undefined }
  | { readonly kind: 'wrong_expected_version'; readonly current: bigint };

const NO_STREAM = -1n;
const TICKS_PER_MILLISECOND = 10_000n;
// The first record sits after a chunk header in a real log; any start above the revisions will do.
const FIRST_POSITION = 1_000n;
// A log record's fixed part; positions grow by record size as byte offsets do in a real transaction file.
const RECORD_OVERHEAD = 90n;

export class EventLog {
  readonly #all: StoredEvent[] = [];
  readonly #streams = new Map<string, StoredEvent[]>();
  readonly #byId = new Map<string, StoredEvent>();
  readonly #listeners = new Set<(event: StoredEvent) => void>();
  #nextPosition = FIRST_POSITION;

  get all(): ReadonlyArray<StoredEvent> {
    return this.#all;
  }

  stream(streamId: string): ReadonlyArray<StoredEvent> {
    return this.#streams.get(streamId) ?? [];
  }

  lastRevision(streamId: string): bigint {
    return BigInt(this.stream(streamId).length) - 1n;
  }

  /** Index of the first event in $all strictly after (or, with `inclusive`, at or after) `position`. */
  indexAfter(position: LogPosition, inclusive: boolean): number {
    let low = 0;
    let high = this.#all.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const order = comparePositions(this.#all[middle].position, position);
      if (order < 0 || (order === 0 && !inclusive)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  onAppended(listener: (event: StoredEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  append(streamId: string, expected: ExpectedState, events: ReadonlyArray<ProposedEvent>): AppendOutcome {
    const current = this.lastRevision(streamId);
    const decision = this.#decide(streamId, current, expected, events);
    if (decision !== 'write') return decision;
    const stream = this.#streams.get(streamId) ?? [];
    this.#streams.set(streamId, stream);
    const created = BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    const written = events.map((proposed, index): StoredEvent => {
      const position = this.#nextPosition;
      this.#nextPosition +=
        RECORD_OVERHEAD + BigInt(streamId.length + proposed.type.length + proposed.data.length + proposed.metadata.length);
      return { ...proposed, streamId, revision: current + 1n + BigInt(index), created, position: { commit: position, prepare: position } };
    });
    for (const event of written) {
      stream.push(event);
      this.#all.push(event);
      this.#byId.set(event.id, event);
    }
    for (const event of written) for (const listener of this.#listeners) listener(event);
    return {
      kind: 'written',
      revision: current + BigInt(written.length),
      position: written.at(-1)?.position ?? this.#all.at(-1)?.position,
    };
  }

  /**
   * EventStoreDB's IndexWriter.CheckCommit for a live, never-deleted stream: `any` and `stream_exists`
   * are idempotent by event id (all ids already in this stream → nothing written; only the first ones →
   * CorruptedIdempotency, answered as WrongExpectedVersion); `no_stream` and a revision behind the
   * stream's end are idempotent when the events after that revision carry the same ids in the same order.
   */
  #decide(streamId: string, current: bigint, expected: ExpectedState, events: ReadonlyArray<ProposedEvent>): AppendOutcome | 'write' {
    const wrong: AppendOutcome = { kind: 'wrong_expected_version', current };
    if (expected.kind === 'stream_exists' && current === NO_STREAM) return wrong;
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      const known = events.map((event) => this.#byId.get(event.id)).map((event) => (event?.streamId === streamId ? event : undefined));
      if (known.length === 0 || known[0] === undefined) return 'write';
      if (known.some((event) => event === undefined)) return wrong;
      return this.#idempotent(known.at(-1));
    }
    const expectedRevision = expected.kind === 'no_stream' ? NO_STREAM : expected.revision;
    if (expectedRevision === current) return 'write';
    if (expectedRevision > current) return wrong;
    const stream = this.stream(streamId);
    const alreadyWritten = events.every((event, index) => stream[Number(expectedRevision) + 1 + index]?.id === event.id);
    if (!alreadyWritten || events.length === 0) return wrong;
    return this.#idempotent(stream[Number(expectedRevision) + events.length]);
  }

  #idempotent(last: StoredEvent | undefined): AppendOutcome {
    if (!last) throw new Error('An idempotent append has a last event');
    return { kind: 'idempotent', revision: last.revision, position: last.position };
  }
}
