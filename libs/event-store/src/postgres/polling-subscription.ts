import type { ReadAllPage, Subscription, SubscriptionMessage } from '../port/event-store.js';

/**
 * A subscription that polls the all-stream instead of using LISTEN/NOTIFY: NOTIFY in the
 * append would take a cluster-wide lock at commit and serialise every append.
 *
 * Full pages are followed at once; once caught up it waits `pollIntervalMs`, or less when
 * this process appended (`notify`). Each poll borrows a pool connection for one query only.
 */
export class PollingSubscription implements Subscription {
  private closed = false;
  private iterated = false;
  private appendedMeanwhile = false;
  private wake: (() => void) | undefined;
  private reading: Promise<ReadAllPage> | undefined;

  constructor(
    private readonly readPage: (after: string | undefined) => Promise<ReadAllPage>,
    private after: string | undefined,
    private readonly pollIntervalMs: number,
    private readonly onClosed: (subscription: PollingSubscription) => void,
  ) {}

  /** Something was appended in this process: look now rather than at the next poll. */
  notify(): void {
    this.appendedMeanwhile = true;
    this.wake?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.onClosed(this);
    this.wake?.();
    // Wait for a query in flight so the caller may end the pool afterwards. Its failure is not
    // lost: the iterator awaits the same promise and throws it to the consumer.
    await this.reading?.then(
      () => undefined,
      () => undefined,
    );
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    if (this.iterated) throw new Error('a subscription can be iterated only once');
    this.iterated = true;
    return this.messages();
  }

  private async *messages(): AsyncGenerator<SubscriptionMessage, void, undefined> {
    let caughtUp = false;
    try {
      while (!this.closed) {
        this.appendedMeanwhile = false;
        this.reading = this.readPage(this.after);
        let page: ReadAllPage;
        try {
          page = await this.reading;
        } finally {
          this.reading = undefined;
        }
        if (this.closed) return;
        for (const event of page.events) {
          yield { kind: 'event', event };
          if (this.closed) return;
        }
        this.after = page.nextAfter ?? this.after;
        if (!page.isEnd) continue;
        if (!caughtUp) {
          caughtUp = true;
          yield { kind: 'caughtUp', position: this.after };
        }
        if (!this.appendedMeanwhile && !this.closed) await this.pause();
      }
    } finally {
      this.closed = true;
      this.onClosed(this);
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = done;
    });
  }
}
