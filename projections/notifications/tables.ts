import type { ProjectionTable } from '#read-model/projections/projection.js';
import { createTableSql, defineTable, type RowOf, type TableDefinition } from '#read-model/projections/table-definition.js';

/**
 * The tables of the `notifications` projection (issue 11): the outbox that webhooks and the
 * event stream (SSE) read, written in the transaction that advances the projection's checkpoint,
 * and the little each ticket's later notifications need to know of it.
 */

export const NOTIFICATIONS = defineTable({
  name: 'notifications',
  comment:
    'The outbox: one row per event that someone is told of (a delay, an escalation, a routing to a unit, a closing, a breach warning), ' +
    'in the order of the event log. Webhooks are sent from it and GET /events/stream reads it; ' +
    'the deliveries are in notification_deliveries.',
  primaryKey: ['seq'],
  indexes: [['id'], ['ticket_id'], ['kind', 'seq']],
  columns: [
    [
      'seq',
      'bigint NOT NULL',
      'Order of the notification: 1, 2, 3 … in event-log order, the same in every version and rebuild (the SSE id, webhook cursors).',
    ],
    ['id', 'uuid NOT NULL', 'The notification’s id: the id of the event it tells of (the Idempotency-Key of its webhook requests).'],
    ['kind', 'text NOT NULL', 'ticket.delayed, ticket.escalated, ticket.routed, ticket.closed or ticket.breach_warned.'],
    ['ticket_id', 'text NOT NULL', 'The ticket (its stream is ticket-<ticket_id>).'],
    [
      'unit_id',
      'text',
      'The unit concerned: the delay’s, the receiving unit of a routing, the closing unit, else the unit holding the ticket.',
    ],
    ['user_id', 'text', 'The user concerned (the delay’s or the closing user, else the user holding the ticket); null: none.'],
    ['occurred_at', 'timestamptz NOT NULL', 'When the event happened (its occurredAt).'],
    ['position', 'text NOT NULL', 'The event’s global position in the event log (as the store writes it).'],
    ['payload', 'jsonb NOT NULL', 'The event’s data plus ticketId, occurredAt and eventId; a closing also carries the customer.'],
  ],
});

export const NOTIFICATION_TICKETS = defineTable({
  name: 'notification_tickets',
  comment: 'Bookkeeping of the notifications projection: each ticket’s customer and holder, which later notifications carry.',
  primaryKey: ['ticket_id'],
  indexes: [],
  columns: [
    ['ticket_id', 'text NOT NULL', 'The ticket (its stream is ticket-<ticket_id>).'],
    ['customer', 'text NOT NULL', 'The customer the ticket was opened for.'],
    ['unit_id', 'text NOT NULL', 'The unit holding the ticket after its last event.'],
    ['user_id', 'text', 'The user holding it (claimed); null while it waits in a pool.'],
  ],
});

export const NOTIFICATION_TABLES: readonly TableDefinition[] = [NOTIFICATIONS, NOTIFICATION_TICKETS];

export type NotificationsTableName = (typeof NOTIFICATIONS | typeof NOTIFICATION_TICKETS)['name'];
export type NotificationRow = RowOf<typeof NOTIFICATIONS>;
export type NotificationTicketRow = RowOf<typeof NOTIFICATION_TICKETS>;

export function notificationsTables(prefix = ''): ProjectionTable[] {
  return NOTIFICATION_TABLES.map((table) => ({ name: `${prefix}${table.name}`, create: (physical) => createTableSql(table, physical) }));
}
