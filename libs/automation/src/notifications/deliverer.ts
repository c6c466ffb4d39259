import type pg from 'pg';
import type { Clock } from '#platform';
import { LockedLoop, type LoopLog, type LoopLogLevel } from '../locked-loop.js';
import { isLastAttempt, retryDelayMs, type RetrySettings } from './retry-schedule.js';
import { migrateNotifications } from './schema.js';
import { signWebhook, SIGNATURE_HEADER } from './signature.js';
import { notificationBody, type NotificationRecord } from './notification-body.js';

export type DelivererLogLevel = LoopLogLevel;
export type DelivererLog = LoopLog;

export interface DelivererOptions {
  /** the PostgreSQL of the projections (analytics.notifications) and of webhooks and notification_deliveries */
  pool: pg.Pool;
  clock: Clock;
  retry: RetrySettings;
  /** WEBHOOK_TIMEOUT: a request without an answer by then is a failed attempt */
  timeoutMs: number;
  /** between the end of one round and the start of the next */
  intervalMs?: number;
  /** requests in flight at once */
  concurrency?: number;
  /** deliveries taken per round, earliest due first */
  batchSize?: number;
  log: DelivererLog;
  /** [0, 1): the retry jitter; specs pass a seeded one */
  random?: () => number;
}

/** What one round did. */
export interface RoundOutcome {
  fannedOut: number;
  delivered: number;
  failed: number;
  dead: number;
}

interface DueDelivery extends NotificationRecord {
  webhook_id: string;
  url: string;
  secret: string;
  attempts: number;
}

const DEFAULT_INTERVAL_MS = 500;
const DEFAULT_CONCURRENCY = 8;
const DEFAULT_BATCH_SIZE = 200;
/** Notifications fanned out per webhook per round: a webhook far behind catches up over several rounds. */
const FAN_OUT_LIMIT = 5_000;
/** An answer's text kept in last_error: enough to see why, not a stored copy of the receiver's page. */
const ERROR_TEXT_LIMIT = 300;

/**
 * Sends the outbox (analytics.notifications) to the webhooks (issue 11, decisions.md
 * "Notifications"). Each round: fan out the notifications after each active webhook's cursor
 * that it subscribes to (one pending delivery each, keyed by notification and webhook), then POST
 * the due pending deliveries, signed, with the notification id as Idempotency-Key on every
 * attempt. 2xx: delivered. Else: retried with exponential back-off until WEBHOOK_MAX_ATTEMPTS,
 * then dead (the dead-letter list). At least once: a receiver dedupes by Idempotency-Key (a
 * crash after its 2xx but before our UPDATE sends it again).
 *
 * One deliverer is active (an advisory lock); the others stand by and take over at their next
 * tick. Scheduling reads the injected clock, so specs move time instead of sleeping.
 */
export class Deliverer {
  private readonly loop: LockedLoop<RoundOutcome>;
  private migrated = false;

  constructor(private readonly options: DelivererOptions) {
    this.loop = new LockedLoop({
      pool: options.pool,
      lock: { key: 'notifications.deliverer', role: 'deliverer' },
      name: 'the webhook deliverer',
      intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
      log: options.log,
      work: () => this.round(),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Finishes the round in flight, frees the lock (for a standby) and closes its connection. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  get isActive(): boolean {
    return this.loop.isActive;
  }

  /** One round: take the lock or stand by; if active, fan out and send. Undefined when standing by or failed (logged). */
  tick(): Promise<RoundOutcome | undefined> {
    return this.loop.tick();
  }

  /** Fans out, then sends what is due now. Public for specs that drive rounds themselves. */
  async round(): Promise<RoundOutcome> {
    if (!this.migrated) {
      await migrateNotifications(this.options.pool);
      this.migrated = true;
    }
    const outcome: RoundOutcome = { fannedOut: await this.fanOut(), delivered: 0, failed: 0, dead: 0 };
    const due = await this.due();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < due.length) {
        const delivery = due[next++];
        const result = await this.send(delivery);
        outcome[result] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? DEFAULT_CONCURRENCY, due.length) }, worker));
    return outcome;
  }

  /** Gives each active webhook a pending delivery of every notification after its cursor that it subscribes to. */
  private async fanOut(): Promise<number> {
    const { rows: exists } = await this.options.pool.query<{ found: boolean }>(
      `SELECT to_regclass('analytics.notifications') IS NOT NULL AS found`,
    );
    // Before the notifications projection has created its view there is nothing to send.
    if (!exists[0].found) return 0;
    const { rows } = await this.options.pool.query<{ n: string }>(
      `WITH hooks AS (
         SELECT id, kinds, cursor_seq,
                least(cursor_seq + $2, (SELECT coalesce(max(seq), 0) FROM analytics.notifications)) AS upto
           FROM webhooks WHERE active FOR UPDATE
       ), inserted AS (
         INSERT INTO notification_deliveries (notification_id, webhook_id, seq, status, attempts, next_attempt_at)
         SELECT n.id, h.id, n.seq, 'pending', 0, $1
           FROM hooks h JOIN analytics.notifications n ON n.seq > h.cursor_seq AND n.seq <= h.upto
          WHERE cardinality(h.kinds) = 0 OR n.kind = ANY (h.kinds)
         ON CONFLICT (notification_id, webhook_id) DO NOTHING
         RETURNING 1
       ), moved AS (
         UPDATE webhooks w SET cursor_seq = h.upto FROM hooks h WHERE w.id = h.id AND h.upto > h.cursor_seq RETURNING 1
       )
       SELECT (SELECT count(*) FROM inserted)::text AS n`,
      [this.options.clock.now(), FAN_OUT_LIMIT],
    );
    return Number(rows[0].n);
  }

  private async due(): Promise<DueDelivery[]> {
    const { rows } = await this.options.pool.query<DueDelivery>(
      `SELECT d.webhook_id, w.url, w.secret, d.attempts,
              n.seq, n.id, n.kind, n.ticket_id, n.unit_id, n.user_id, n.occurred_at, n.position, n.payload
         FROM notification_deliveries d
         JOIN webhooks w ON w.id = d.webhook_id AND w.active
         JOIN analytics.notifications n ON n.id = d.notification_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= $1
        ORDER BY d.next_attempt_at, d.seq
        LIMIT $2`,
      [this.options.clock.now(), this.options.batchSize ?? DEFAULT_BATCH_SIZE],
    );
    return rows;
  }

  private async send(delivery: DueDelivery): Promise<'delivered' | 'failed' | 'dead'> {
    const body = JSON.stringify(notificationBody(delivery));
    const t = Math.floor(this.options.clock.now().getTime() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': delivery.id,
          'Bildirim-Event': delivery.kind,
          [SIGNATURE_HEADER]: signWebhook(delivery.secret, body, t),
        },
        body,
        // A redirect is a failure, not a hop: the signature was made for this URL's owner.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      if (status < 200 || status > 299) error = `HTTP ${status}: ${(await response.text()).slice(0, ERROR_TEXT_LIMIT)}`;
      else await response.body?.cancel();
    } catch (failure) {
      error = describeFailure(failure, this.options.timeoutMs);
    }
    const now = this.options.clock.now();
    const attempts = delivery.attempts + 1;
    if (error === null) {
      await this.update(delivery, { status: 'delivered', attempts, next: null, lastStatus: status, error: null, deliveredAt: now });
      return 'delivered';
    }
    if (isLastAttempt(attempts, this.options.retry)) {
      this.options.log('warn', 'a webhook delivery is dead after its last attempt', {
        notificationId: delivery.id,
        webhookId: delivery.webhook_id,
        attempts,
        error,
      });
      await this.update(delivery, { status: 'dead', attempts, next: null, lastStatus: status, error, deliveredAt: null });
      return 'dead';
    }
    const waitMs = retryDelayMs(attempts, this.options.retry, (this.options.random ?? Math.random)());
    const next = new Date(now.getTime() + waitMs);
    this.options.log('debug', 'a webhook delivery failed; it is retried', { notificationId: delivery.id, attempts, error, waitMs });
    await this.update(delivery, { status: 'pending', attempts, next, lastStatus: status, error, deliveredAt: null });
    return 'failed';
  }

  private async update(
    delivery: DueDelivery,
    change: {
      status: string;
      attempts: number;
      next: Date | null;
      lastStatus: number | null;
      error: string | null;
      deliveredAt: Date | null;
    },
  ): Promise<void> {
    // Only the attempt this round made: a redelivery requested meanwhile (attempts back to 0) is kept.
    await this.options.pool.query(
      `UPDATE notification_deliveries
          SET status = $3, attempts = $4, next_attempt_at = $5, last_status = $6, last_error = $7, delivered_at = $8
        WHERE notification_id = $1 AND webhook_id = $2 AND status = 'pending' AND attempts = $9`,
      [
        delivery.id,
        delivery.webhook_id,
        change.status,
        change.attempts,
        change.next,
        change.lastStatus,
        change.error,
        change.deliveredAt,
        delivery.attempts,
      ],
    );
  }
}

/** Why a request got no answer. AbortSignal.timeout rejects with a DOMException, which on Node 20 is no Error instance. */
function describeFailure(failure: unknown, timeoutMs: number): string {
  if (typeof failure === 'object' && failure !== null && 'name' in failure && failure.name === 'TimeoutError') {
    return `no answer within ${timeoutMs} ms`;
  }
  if (failure instanceof Error) return `${failure.message}${failure.cause instanceof Error ? `: ${failure.cause.message}` : ''}`;
  return String(failure);
}
