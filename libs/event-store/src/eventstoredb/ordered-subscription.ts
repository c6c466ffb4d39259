import type {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  AllStreamSubscription,
  Filter,
  Position,
  ReadPosition,
} from '@eventstore/db-client';
import type { EventStoreDBClient } from '@eventstore/db-client';

export type OrderedMessage =
  | { kind: 'event'; event: AllStreamRecordedEvent }
  /** the server delivered everything it held when the subscription caught up */
  | { kind: 'caughtUp' }
  /** the server looked at every event up to here (filtered subscriptions) */
  | { kind: 'checkpoint'; position: Position };

/** The server-side filter; its checkpoint callback is replaced by this class's own. */
export type ServerFilter = Filter;

/** Buffered events at which the server is paused, and below which it resumes (backpressure). */
const HIGH_WATER = 2_000;
const LOW_WATER = 500;

/**
 * A catch-up subscription to `$all` as one ordered sequence of events, caught-up and checkpoint
 * marks. The client emits `caughtUp` and calls `checkpointReached` when the server's message
 * arrives, which can be before the events that preceded it leave the stream's buffer; each mark
 * is therefore held until as many events as were received before it have been taken.
 */
export class OrderedAllSubscription implements AsyncIterable<OrderedMessage> {
  private readonly source: AllStreamSubscription;
  private readonly queue: OrderedMessage[] = [];
  private readonly marks: Array<{ afterEvents: number; message: OrderedMessage }> = [];
  private received = 0;
  private finished = false;
  private closing = false;
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(client: EventStoreDBClient, fromPosition: ReadPosition, filter: ServerFilter | undefined) {
    this.source = client.subscribeToAll({
      fromPosition,
      filter: filter && { ...filter, checkpointReached: (_subscription, position) => this.mark({ kind: 'checkpoint', position }) },
    });
    this.source.on('data', (resolved: AllStreamResolvedEvent) => {
      if (this.closing) return;
      this.received += 1;
      if (resolved.event) this.queue.push({ kind: 'event', event: resolved.event });
      this.releaseMarks();
      if (this.queue.length >= HIGH_WATER) this.source.pause();
      this.notify();
    });
    this.source.on('caughtUp', () => this.mark({ kind: 'caughtUp' }));
    this.source.on('error', (error: unknown) => {
      this.failure = error;
      this.finished = true;
      this.notify();
    });
    this.source.on('end', () => this.end());
    this.source.on('close', () => this.end());
  }

  async *[Symbol.asyncIterator](): AsyncIterator<OrderedMessage> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        if (this.queue.length <= LOW_WATER && this.source.isPaused()) this.source.resume();
        yield next;
        continue;
      }
      if (this.finished) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /**
   * Cancels the server call; the iteration ends after what is queued. The stream is left flowing
   * (not destroyed) so the cancelled call drains to its end: the client's dispose() waits for
   * every call it made to finish, and a paused, unpiped one never would.
   */
  async close(): Promise<void> {
    this.closing = true;
    this.queue.length = 0;
    this.marks.length = 0;
    if (!this.source.readableEnded) {
      this.source.resume();
      await this.source.unsubscribe();
    }
    this.end();
  }

  private mark(message: OrderedMessage): void {
    this.marks.push({ afterEvents: this.received + this.source.readableLength, message });
    this.releaseMarks();
    this.notify();
  }

  private releaseMarks(): void {
    while (this.marks.length > 0 && this.marks[0].afterEvents <= this.received) {
      const released = this.marks.shift();
      if (released) this.queue.push(released.message);
    }
  }

  private end(): void {
    this.finished = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
