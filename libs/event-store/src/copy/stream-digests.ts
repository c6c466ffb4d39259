import { createHash } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../port/event-store.js';
import { canonicalJson } from '../json/canonical-json.js';

/** What a stream holds, in a few bytes: equal digests mean the same events at the same revisions. */
export interface StreamDigest {
  events: number;
  /** hex SHA-256 chained over the canonical JSON of each event (see `streamDigests`) */
  sha256: string;
}

export interface StreamDigestsOptions {
  streamPrefixes: readonly string[];
  /** read up to this position (inclusive); default: to the end of what is visible */
  until?: string;
  /** events per readAll page; default 1000 */
  pageSize?: number;
  /** after each page, with the events digested so far */
  onPage?: (events: number) => void;
}

const EMPTY = createHash('sha256').digest();

/** The text of one event that its digest covers: what a copy must keep (not the position, not recordedAt). */
export function eventDigestText(event: RecordedEvent): string {
  return canonicalJson({ revision: event.revision, eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata });
}

/**
 * A digest per stream, read through the port's all-stream in one pass: the event count and
 * h(n) = SHA-256(h(n-1) ‖ canonical JSON of event n), h(0) = SHA-256 of nothing. Chaining keeps
 * one 32-byte state per stream instead of a hash object each (a million streams fit), and the
 * all-stream delivers every stream's events in revision order, which is the order chained.
 */
export async function streamDigests(store: EventStore, options: StreamDigestsOptions): Promise<Map<string, StreamDigest>> {
  const states = new Map<string, { events: number; state: Buffer }>();
  const filter = { streamPrefixes: [...options.streamPrefixes] };
  let after: string | undefined;
  let read = 0;
  for (;;) {
    const page = await store.readAll({ after, filter, maxCount: options.pageSize ?? 1000 });
    let passedUntil = false;
    for (const event of page.events) {
      if (options.until !== undefined && store.comparePositions(event.position, options.until) > 0) {
        passedUntil = true;
        break;
      }
      const known = states.get(event.streamId) ?? { events: 0, state: EMPTY };
      known.state = createHash('sha256').update(known.state).update(eventDigestText(event)).digest();
      known.events++;
      states.set(event.streamId, known);
      read++;
    }
    options.onPage?.(read);
    if (passedUntil || page.isEnd || page.nextAfter === undefined) break;
    if (options.until !== undefined && store.comparePositions(page.nextAfter, options.until) >= 0) break;
    after = page.nextAfter;
  }
  return new Map([...states].map(([streamId, { events, state }]) => [streamId, { events, sha256: state.toString('hex') }]));
}

export interface StreamDifference {
  streamId: string;
  source: StreamDigest;
  target: StreamDigest;
}

export interface StoreComparison {
  /** streams in the source, with their events */
  sourceStreams: number;
  sourceEvents: number;
  targetStreams: number;
  targetEvents: number;
  /** in the source, not in the target */
  missing: string[];
  /** in the target, not in the source */
  extra: string[];
  /** in both, with other events */
  different: StreamDifference[];
  identical: boolean;
}

/** Each digest map against the other: which streams differ, and how. */
export function compareDigests(source: Map<string, StreamDigest>, target: Map<string, StreamDigest>): StoreComparison {
  const missing: string[] = [];
  const different: StreamDifference[] = [];
  let sourceEvents = 0;
  let targetEvents = 0;
  for (const [streamId, digest] of source) {
    sourceEvents += digest.events;
    const there = target.get(streamId);
    if (there === undefined) missing.push(streamId);
    else if (there.events !== digest.events || there.sha256 !== digest.sha256) different.push({ streamId, source: digest, target: there });
  }
  const extra: string[] = [];
  for (const [streamId, digest] of target) {
    targetEvents += digest.events;
    if (!source.has(streamId)) extra.push(streamId);
  }
  return {
    sourceStreams: source.size,
    sourceEvents,
    targetStreams: target.size,
    targetEvents,
    missing,
    extra,
    different,
    identical: missing.length === 0 && extra.length === 0 && different.length === 0,
  };
}

export interface CompareStoresOptions {
  source: EventStore;
  target: EventStore;
  streamPrefixes: readonly string[];
  /** the source position the copy reached: later source events are not expected in the target */
  sourceUntil?: string;
  pageSize?: number;
  onPage?: (side: 'source' | 'target', events: number) => void;
}

/** Both stores read through the port at once, and their streams compared by digest. */
export async function compareStores(options: CompareStoresOptions): Promise<StoreComparison> {
  const { streamPrefixes, pageSize, onPage } = options;
  const [source, target] = await Promise.all([
    streamDigests(options.source, { streamPrefixes, pageSize, until: options.sourceUntil, onPage: (events) => onPage?.('source', events) }),
    streamDigests(options.target, { streamPrefixes, pageSize, onPage: (events) => onPage?.('target', events) }),
  ]);
  return compareDigests(source, target);
}
