import type pg from 'pg';
import { notificationBody, type NotificationBody, type NotificationRecord } from './notification-body.js';
import { migrateNotifications } from './schema.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead'];

export interface DeliveryView {
  webhookId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export interface NotificationView extends NotificationBody {
  deliveries: DeliveryView[];
}

export interface NotificationFilter {
  /** only notifications with a delivery in this status (to the webhook, when webhookId is given) */
  status?: DeliveryStatus;
  kind?: string;
  ticketId?: string;
  webhookId?: string;
  limit: number;
  /** seq: only notifications before it (the page after the one that ended there) */
  before?: number;
}

export interface NotificationPage {
  notifications: NotificationView[];
  /** pass as `cursor` for the next (older) page; null on the last page */
  nextCursor: string | null;
}

interface DeliveryRow {
  notification_id: string;
  webhook_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
}

function deliveryView(row: DeliveryRow): DeliveryView {
  return {
    webhookId: row.webhook_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}

const NOTIFICATION_COLUMNS = 'n.seq, n.id, n.kind, n.ticket_id, n.unit_id, n.user_id, n.occurred_at, n.position, n.payload';

/**
 * The admin's reads and the redelivery command on the outbox and its deliveries
 * (GET /notifications, POST /notifications/{id}/redeliver), and the SSE stream's reads.
 */
export class NotificationQueries {
  private migrated: Promise<void> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  private async ready(): Promise<boolean> {
    this.migrated ??= migrateNotifications(this.pool).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    await this.migrated;
    const { rows } = await this.pool.query<{ found: boolean }>(`SELECT to_regclass('analytics.notifications') IS NOT NULL AS found`);
    return rows[0].found;
  }

  /** Newest first, each with its deliveries; keyset paging on seq. */
  async page(filter: NotificationFilter): Promise<NotificationPage> {
    if (!(await this.ready())) return { notifications: [], nextCursor: null };
    const { rows } = await this.pool.query<NotificationRecord>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM analytics.notifications n
        WHERE ($1::text IS NULL OR n.kind = $1)
          AND ($2::text IS NULL OR n.ticket_id = $2)
          AND ($3::bigint IS NULL OR n.seq < $3)
          AND ($4::text IS NULL AND $5::uuid IS NULL
               OR EXISTS (SELECT 1 FROM notification_deliveries d
                           WHERE d.notification_id = n.id
                             AND ($4::text IS NULL OR d.status = $4)
                             AND ($5::uuid IS NULL OR d.webhook_id = $5)))
        ORDER BY n.seq DESC
        LIMIT $6`,
      [
        filter.kind ?? null,
        filter.ticketId ?? null,
        filter.before ?? null,
        filter.status ?? null,
        filter.webhookId ?? null,
        filter.limit + 1,
      ],
    );
    const more = rows.length > filter.limit;
    const shown = rows.slice(0, filter.limit);
    const deliveries = await this.deliveriesOf(shown.map((row) => row.id));
    return {
      notifications: shown.map((row) => ({ ...notificationBody(row), deliveries: deliveries.get(row.id) ?? [] })),
      nextCursor: more ? String(shown[shown.length - 1].seq) : null,
    };
  }

  private async deliveriesOf(ids: string[]): Promise<Map<string, DeliveryView[]>> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT notification_id, webhook_id, status, attempts, next_attempt_at, last_status, last_error, delivered_at
         FROM notification_deliveries WHERE notification_id = ANY ($1::uuid[]) ORDER BY webhook_id`,
      [ids],
    );
    const byId = new Map<string, DeliveryView[]>();
    for (const row of rows) byId.set(row.notification_id, [...(byId.get(row.notification_id) ?? []), deliveryView(row)]);
    return byId;
  }

  /** The notification with its deliveries; undefined if unknown. */
  async one(id: string): Promise<NotificationView | undefined> {
    if (!(await this.ready())) return undefined;
    const { rows } = await this.pool.query<NotificationRecord>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM analytics.notifications n WHERE n.id = $1`,
      [id],
    );
    if (!rows[0]) return undefined;
    return { ...notificationBody(rows[0]), deliveries: (await this.deliveriesOf([id])).get(id) ?? [] };
  }

  /**
   * Sends a notification again: its dead or delivered deliveries (to `webhookId` only, if given)
   * go back to pending with attempts 0, due now. Naming a webhook that never had a delivery of
   * it (created later, or not subscribed to the kind) gives it one. Undefined if the
   * notification is unknown; the caller checks the webhook exists.
   */
  async redeliver(id: string, now: Date, webhookId?: string): Promise<NotificationView | undefined> {
    const notification = await this.one(id);
    if (!notification) return undefined;
    if (webhookId !== undefined) {
      await this.pool.query(
        `INSERT INTO notification_deliveries (notification_id, webhook_id, seq, status, attempts, next_attempt_at)
         VALUES ($1, $2, $3, 'pending', 0, $4) ON CONFLICT (notification_id, webhook_id) DO NOTHING`,
        [id, webhookId, notification.seq, now],
      );
    }
    await this.pool.query(
      `UPDATE notification_deliveries
          SET status = 'pending', attempts = 0, next_attempt_at = $2, last_status = NULL, last_error = NULL, delivered_at = NULL
        WHERE notification_id = $1 AND ($3::uuid IS NULL OR webhook_id = $3) AND status IN ('dead', 'delivered')`,
      [id, now, webhookId ?? null],
    );
    return this.one(id);
  }

  /**
   * Notifications after `afterSeq` (the SSE stream), oldest first; filters as the stream's query.
   * Undefined `afterSeq`: the current end (what a new stream starts after).
   */
  async after(afterSeq: number, filter: { kinds: readonly string[]; unitId?: string }, limit: number): Promise<NotificationBody[]> {
    if (!(await this.ready())) return [];
    const { rows } = await this.pool.query<NotificationRecord>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM analytics.notifications n
        WHERE n.seq > $1 AND (cardinality($2::text[]) = 0 OR n.kind = ANY ($2)) AND ($3::text IS NULL OR n.unit_id = $3)
        ORDER BY n.seq LIMIT $4`,
      [afterSeq, filter.kinds, filter.unitId ?? null, limit],
    );
    return rows.map(notificationBody);
  }

  /** The seq of the newest notification now (0: none). */
  async end(): Promise<number> {
    if (!(await this.ready())) return 0;
    const { rows } = await this.pool.query<{ seq: string }>('SELECT coalesce(max(seq), 0)::text AS seq FROM analytics.notifications');
    return Number(rows[0].seq);
  }
}
