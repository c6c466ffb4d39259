import type { Projection } from '#read-model/projections/projection.js';
import { TICKET_EVENT_TYPES } from '#ticketing';
import { applyNotificationEvents, type NotificationsTable } from './apply-notification-events.js';
import { NOTIFICATION_KIND_BY_EVENT_TYPE } from './notification-kinds.js';
import { notificationsTables } from './tables.js';

export interface NotificationsProjectionOptions {
  name?: string;
  /** Prefixes every table name, so several instances can live in one database (specs). */
  tablePrefix?: string;
}

/**
 * The notification outbox (issue 11, decisions.md "Notifications"): the event log is the outbox,
 * and this projection copies the events someone is told of into `notifications` in the
 * transaction that moves its checkpoint, so no notification is lost or written twice on either
 * event store. The deliverer (libs/automation) and GET /events/stream read it.
 */
export function createNotificationsProjection(options: NotificationsProjectionOptions = {}): Projection {
  const prefix = options.tablePrefix ?? '';
  const apply: Projection['handle'] = async (batch, context) => {
    const table: NotificationsTable = (name) => context.table(`${prefix}${name}`);
    await applyNotificationEvents(context.client, table, batch);
  };
  return {
    name: options.name ?? 'notifications',
    version: 1,
    // Every ticket event (the customer and holder come from the others) and the notified types this build cannot decode yet.
    eventTypes: [...new Set<string>([...TICKET_EVENT_TYPES, ...Object.keys(NOTIFICATION_KIND_BY_EVENT_TYPE)])],
    tables: notificationsTables(prefix),
    handle: apply,
    rebuild: { batchSize: 10_000, handle: apply },
  };
}
