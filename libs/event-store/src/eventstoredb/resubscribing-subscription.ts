import type { AllFilter, Subscription, SubscriptionMessage } from '../port/event-store.js';
import { isUnavailable } from './errors.js';
import type { OrderedAllSubscription } from './ordered-subscription.js';
import { compare, formatPosition, parsePosition } from './position.js';
import { matchesFilter, toRecorded } from './to-recorded.js';

export type SubscriptionLog = (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;

export interface ResubscribingOptions {
  after: string | undefined;
  filter: AllFilter | undefined;
  log: SubscriptionLog | undefined;
  delays: { initialDelayMs: number; maxDelayMs: number } | undefined;
}

const DEFAULT_DELAYS = { initialDelayMs: 500, maxDelayMs: 30_000 };

/**
 * The port's subscription over EventStoreDB: one server subscription at a time; when the server
 * goes away it subscribes again from the last event it delivered, after a pause that doubles up
 * to a ceiling, and says so in the log. Events at or before that position are passed over, so a
 * resubscription neither repeats nor skips one. `caughtUp` is said once, the first time.
 */
export class ResubscribingSubscription implements Subscription {
  private closed = false;
  private current: OrderedAllSubscription | undefined;
  private wakeFromPause: (() => void) | undefined;

  constructor(
    /** undefined: the filter matches nothing, so there is nothing to subscribe to */
    private readonly open: (after: string | undefined) => OrderedAllSubscription | undefined,
    private readonly options: ResubscribingOptions,
    private readonly onClose: (closed: ResubscribingSubscription) => void,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    const delays = this.options.delays ?? DEFAULT_DELAYS;
    let after = this.options.after;
    let saidCaughtUp = false;
    let failures = 0;
    try {
      while (!this.closed) {
        const source = this.open(after);
        if (!source) {
          if (!saidCaughtUp) yield { kind: 'caughtUp', position: after };
          saidCaughtUp = true;
          await this.pause(Number.POSITIVE_INFINITY);
          continue;
        }
        this.current = source;
        let failure: unknown;
        try {
          for await (const message of source) {
            if (this.closed) return;
            if (message.kind === 'event') {
              const event = message.event;
              if (after !== undefined && compare(event.position, parsePosition(after)) <= 0) continue;
              after = formatPosition(event.position);
              failures = 0;
              if (matchesFilter(this.options.filter, event)) yield { kind: 'event', event: toRecorded(event) };
            } else if (message.kind === 'caughtUp' && !saidCaughtUp) {
              saidCaughtUp = true;
              failures = 0;
              yield { kind: 'caughtUp', position: after };
            }
          }
        } catch (error) {
          if (!isUnavailable(error)) throw error;
          failure = error;
        } finally {
          this.current = undefined;
          await source.close();
        }
        if (this.closed) return;
        const delay = Math.min(delays.maxDelayMs, delays.initialDelayMs * 2 ** Math.min(failures, 16));
        failures += 1;
        this.options.log?.('warn', 'the EventStoreDB subscription was dropped; subscribing again from the last event delivered', {
          after: after ?? null,
          attempt: failures,
          retryInMs: delay,
          error: failure instanceof Error ? failure.message : 'the server ended the subscription',
        });
        await this.pause(delay);
      }
    } finally {
      this.closed = true;
      this.onClose(this);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeFromPause?.();
    await this.current?.close();
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      function done(): void {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.wakeFromPause = done;
    });
  }
}
