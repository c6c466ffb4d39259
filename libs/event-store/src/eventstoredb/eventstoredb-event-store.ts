import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  eventTypeFilter,
  jsonEvent,
  streamNameFilter,
  type AppendExpectedRevision,
  type Position,
} from '@eventstore/db-client';
import type {
  AllFilter,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../port/event-store.js';
import { toPortError } from './errors.js';
import { OrderedAllSubscription, type ServerFilter } from './ordered-subscription.js';
import { compare, comparePositions, formatPosition, parsePosition } from './position.js';
import { ResubscribingSubscription, type SubscriptionLog } from './resubscribing-subscription.js';
import { isSystemEvent, matchesFilter, toRecorded } from './to-recorded.js';

export interface EventStoreDbOptions {
  /** Events per readAll page without maxCount; default 1000. */
  pageSize?: number;
  /** Hears of dropped subscriptions and resubscriptions (the process's structured log). */
  log?: SubscriptionLog;
  /** First and longest pause between resubscriptions; default 500 ms doubling to 30 s. */
  resubscribe?: { initialDelayMs: number; maxDelayMs: number };
}

/**
 * The EventStoreDB adapter of the event-store port (DESIGN.md §4): streams `ticket-<id>` are
 * EventStoreDB streams, the port's position is EventStoreDB's commit/prepare pair.
 *
 * Idempotency: EventStoreDB recognises a repeated append per stream and at best effort only, so
 * `alreadyAppended` is always false here and an event id is never refused for being in another
 * stream; the commands table in PostgreSQL is what makes commands idempotent (docs/decisions.md).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly pageSize: number;
  private readonly subscriptions = new Set<ResubscribingSubscription>();
  private readonly pages = new Set<OrderedAllSubscription>();

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbOptions,
  ) {
    this.pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1)
      throw new RangeError(`pageSize must be a positive integer, got ${this.pageSize}`);
  }

  /** Connects lazily: a wrong host shows on the first call (ping), not here. */
  static connect(connectionString: string, options: EventStoreDbOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(streamId: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`append to ${streamId}: at least one event is needed`);
    const expected = options.expectedRevision;
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((event) => jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: event.metadata })),
        { expectedRevision: toClientExpected(expected) },
      );
      if (!result.position) throw new Error(`EventStoreDB answered the append to ${streamId} without a position`);
      return {
        nextExpectedRevision: Number(result.nextExpectedRevision),
        position: formatPosition(result.position),
        alreadyAppended: false,
      };
    } catch (error) {
      throw toPortError(error, `append to ${streamId}`, { streamId, expected });
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction,
        fromRevision: options.fromRevision === undefined ? (direction === BACKWARDS ? END : START) : BigInt(options.fromRevision),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of read) {
        if (resolved.event) events.push(toRecorded(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw toPortError(error, `read ${streamId}`);
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const limit = options.maxCount ?? this.pageSize;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`maxCount must be a positive integer, got ${limit}`);
    const after = options.after === undefined ? undefined : parsePosition(options.after);
    try {
      const server = serverFilter(options.filter);
      return server === 'none'
        ? await this.readAllUnfiltered(after, limit)
        : await this.readAllFiltered(after, limit, options.filter, server);
    } catch (error) {
      throw toPortError(error, 'read $all');
    }
  }

  /** A forward read of `$all`; system events are passed over (and counted as read). */
  private async readAllUnfiltered(after: Position | undefined, limit: number): Promise<ReadAllPage> {
    // A forward read from a position includes the event at it: ask for one more and pass it.
    const wanted = after ? limit + 1 : limit;
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: after ?? START, maxCount: wanted });
    const events: RecordedEvent[] = [];
    let examined = 0;
    let last = after;
    for await (const resolved of read) {
      examined += 1;
      const event = resolved.event;
      if (!event) continue;
      if (after && compare(event.position, after) <= 0) continue;
      last = event.position;
      if (!isSystemEvent(event)) events.push(toRecorded(event));
    }
    return { events, nextAfter: last && formatPosition(last), isEnd: examined < wanted };
  }

  /**
   * A filtered page: EventStoreDB filters `$all` on the server only for subscriptions, so the page
   * is a catch-up subscription with the filter, ended after `limit` events or once it caught up.
   * A page that caught up moves `nextAfter` to the head it saw before subscribing (every event up
   * to it was looked at), which is how a reader passes long runs of events the filter drops.
   */
  private async readAllFiltered(
    after: Position | undefined,
    limit: number,
    filter: AllFilter | undefined,
    server: ServerFilter | 'nothing',
  ): Promise<ReadAllPage> {
    const head = await this.rawHead();
    if (!head || (after && compare(after, head) >= 0) || server === 'nothing') {
      const reached = head && (!after || compare(head, after) > 0) ? head : after;
      return { events: [], nextAfter: reached && formatPosition(reached), isEnd: true };
    }
    const page = new OrderedAllSubscription(this.client, after ?? START, server);
    this.pages.add(page);
    const events: RecordedEvent[] = [];
    let last = after;
    let isEnd = false;
    try {
      for await (const message of page) {
        if (message.kind === 'event') {
          const event = message.event;
          if (after && compare(event.position, after) <= 0) continue;
          last = event.position;
          if (matchesFilter(filter, event)) events.push(toRecorded(event));
          if (events.length >= limit) break;
          if (compare(event.position, head) >= 0) {
            isEnd = true;
            break;
          }
        } else if (message.kind === 'caughtUp' || compare(message.position, head) >= 0) {
          isEnd = true;
          break;
        }
      }
    } finally {
      this.pages.delete(page);
      await page.close();
    }
    if (events.length < limit && !isEnd) throw new Error('the EventStoreDB subscription ended before it caught up');
    const reached = isEnd && (!last || compare(head, last) > 0) ? head : last;
    return { events, nextAfter: reached && formatPosition(reached), isEnd };
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    if (options.after !== undefined) parsePosition(options.after);
    const server = serverFilter(options.filter);
    const subscription = new ResubscribingSubscription(
      (after: string | undefined): OrderedAllSubscription | undefined =>
        server === 'nothing'
          ? undefined
          : new OrderedAllSubscription(
              this.client,
              after === undefined ? START : parsePosition(after),
              server === 'none' ? undefined : server,
            ),
      { after: options.after, filter: options.filter, log: this.options.log, delays: this.options.resubscribe },
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * The last event of any kind, system events included: every reader's `nextAfter` moves past
   * them too, so a caught-up reader is at or after this head.
   */
  async headPosition(): Promise<string | undefined> {
    try {
      const head = await this.rawHead();
      return head && formatPosition(head);
    } catch (error) {
      throw toPortError(error, 'read the head of $all');
    }
  }

  /** The position of the last event of any kind, system events included. */
  private async rawHead(): Promise<Position | undefined> {
    let head: Position | undefined;
    // Read to the end, never return from inside the loop: a read left half-consumed never
    // finishes, and the client's dispose() waits for every read it started.
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      head ??= resolved.event?.position;
    }
    return head;
  }

  comparePositions(a: string, b: string): number {
    return comparePositions(a, b);
  }

  async ping(): Promise<void> {
    try {
      await this.rawHead();
    } catch (error) {
      throw toPortError(error, 'ping');
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await Promise.all([...this.pages].map((page) => page.close()));
    await this.client.dispose();
  }
}

function toClientExpected(expected: ExpectedRevision): AppendExpectedRevision {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}

/**
 * The one criterion the server filters on: the stream prefixes when given (the ticket streams),
 * else the event types as an exact-match regex; the other is checked on this side
 * (to-recorded.ts). `none`: no filter; `nothing`: an empty list, which matches no event.
 */
function serverFilter(filter: AllFilter | undefined): ServerFilter | 'none' | 'nothing' {
  if (filter?.streamPrefixes?.length === 0 || filter?.eventTypes?.length === 0) return 'nothing';
  if (filter?.streamPrefixes) return streamNameFilter({ prefixes: filter.streamPrefixes });
  if (filter?.eventTypes) return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  return 'none';
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
