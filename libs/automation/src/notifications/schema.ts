import type pg from 'pg';

/**
 * The webhook configuration and the delivery state (issue 11, decisions.md "Notifications"):
 * not event-sourced — webhooks are configuration like API keys, and a delivery's attempts are
 * bookkeeping of a side effect, not facts of the domain. Created idempotently by whoever needs
 * them first (the API, the projector), under a transaction lock so two starting processes do not
 * race.
 */
const STATEMENTS = [
  `SELECT pg_advisory_xact_lock(hashtextextended('notifications.schema', 11))`,
  `CREATE TABLE IF NOT EXISTS webhooks (
     id uuid PRIMARY KEY,
     url text NOT NULL CHECK (url ~ '^https?://'),
     secret text NOT NULL CHECK (length(secret) >= 16),
     kinds text[] NOT NULL DEFAULT '{}',
     active boolean NOT NULL DEFAULT true,
     created_at timestamptz NOT NULL,
     created_by text NOT NULL,
     cursor_seq bigint NOT NULL CHECK (cursor_seq >= 0)
   )`,
  `COMMENT ON TABLE webhooks IS 'HTTP endpoints told of notifications (POST /admin/webhooks); each request is signed with the secret.'`,
  `COMMENT ON COLUMN webhooks.id IS 'The webhook''s id.'`,
  `COMMENT ON COLUMN webhooks.url IS 'Where notifications are POSTed (http or https).'`,
  `COMMENT ON COLUMN webhooks.secret IS 'The HMAC-SHA256 key of the Bildirim-Signature header; shown once, at creation.'`,
  `COMMENT ON COLUMN webhooks.kinds IS 'The notification kinds it receives (ticket.delayed …); empty: all.'`,
  `COMMENT ON COLUMN webhooks.active IS 'False: nothing is sent to it (its pending deliveries wait).'`,
  `COMMENT ON COLUMN webhooks.created_at IS 'When it was created.'`,
  `COMMENT ON COLUMN webhooks.created_by IS 'The id of the admin key that created it.'`,
  `COMMENT ON COLUMN webhooks.cursor_seq IS 'The last notification (analytics.notifications.seq) given a delivery to it; ` +
    `a new webhook starts at the end then.'`,
  `CREATE TABLE IF NOT EXISTS notification_deliveries (
     notification_id uuid NOT NULL,
     webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
     seq bigint NOT NULL,
     status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
     attempts integer NOT NULL CHECK (attempts >= 0),
     next_attempt_at timestamptz,
     last_status integer,
     last_error text,
     delivered_at timestamptz,
     PRIMARY KEY (notification_id, webhook_id)
   )`,
  `CREATE INDEX IF NOT EXISTS notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE status = 'pending'`,
  `CREATE INDEX IF NOT EXISTS notification_deliveries_seq ON notification_deliveries (seq)`,
  `COMMENT ON TABLE notification_deliveries IS 'One notification to one webhook: its attempts and outcome; ` +
    `status dead is the dead-letter list.'`,
  `COMMENT ON COLUMN notification_deliveries.notification_id IS 'The notification (analytics.notifications.id, the event id).'`,
  `COMMENT ON COLUMN notification_deliveries.webhook_id IS 'The webhook (webhooks.id).'`,
  `COMMENT ON COLUMN notification_deliveries.seq IS 'The notification''s seq, for ordering and paging.'`,
  `COMMENT ON COLUMN notification_deliveries.status IS 'pending (to be sent at next_attempt_at), delivered (a 2xx answer) or dead ` +
    `(WEBHOOK_MAX_ATTEMPTS failed; POST /notifications/{id}/redeliver sends it again).'`,
  `COMMENT ON COLUMN notification_deliveries.attempts IS 'Requests sent since it was (re)queued.'`,
  `COMMENT ON COLUMN notification_deliveries.next_attempt_at IS 'When a pending delivery is sent next ` +
    `(back-off after a failure); null otherwise.'`,
  `COMMENT ON COLUMN notification_deliveries.last_status IS 'The HTTP status of the last answer; ` +
    `null: none yet, or no answer (see last_error).'`,
  `COMMENT ON COLUMN notification_deliveries.last_error IS 'Why the last attempt failed ` +
    `(status, timeout, connection error); null after a success.'`,
  `COMMENT ON COLUMN notification_deliveries.delivered_at IS 'When a 2xx answer came; null until then.'`,
];

export async function migrateNotifications(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const statement of STATEMENTS) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
