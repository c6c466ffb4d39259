import type pg from 'pg';
import type { JsonObject, RecordedEvent } from '#event-store';
import { recordColumns } from '#read-model/projections/table-definition.js';
import { decodeTicketEvent, isTicketEventType, TICKET_STREAM_PREFIX } from '#ticketing';
import { notificationKindOf } from './notification-kinds.js';
import {
  NOTIFICATION_TICKETS,
  NOTIFICATIONS,
  type NotificationRow,
  type NotificationsTableName,
  type NotificationTicketRow,
} from './tables.js';

/** The physical name of one of the projection's tables, by its base name. */
export type NotificationsTable = (name: NotificationsTableName) => string;

type Holder = Pick<NotificationTicketRow, 'customer' | 'unit_id' | 'user_id'>;

function text(data: JsonObject, key: string): string | null {
  const value = data[key];
  return typeof value === 'string' ? value : null;
}

/** Who holds the ticket after `recorded` (the events that move it); unknown types change nothing. */
function holderAfter(holder: Holder | undefined, recorded: RecordedEvent): Holder | undefined {
  const data = recorded.data;
  if (recorded.type === 'TicketOpened')
    return { customer: text(data, 'customer') ?? '', unit_id: text(data, 'unitId') ?? '', user_id: null };
  if (holder === undefined) return undefined;
  switch (recorded.type) {
    case 'TicketRouted':
      return { ...holder, unit_id: text(data, 'toUnitId') ?? holder.unit_id, user_id: null };
    case 'TicketClaimed':
      return { ...holder, unit_id: text(data, 'unitId') ?? holder.unit_id, user_id: text(data, 'userId') };
    case 'TicketReleased':
      return { ...holder, user_id: null };
    case 'TicketReopened':
      return { ...holder, unit_id: text(data, 'unitId') ?? holder.unit_id, user_id: null };
    case 'TicketClosed':
      return { ...holder, unit_id: text(data, 'unitId') ?? holder.unit_id };
    default:
      return holder;
  }
}

/**
 * The notification `recorded` causes, or undefined. Its data is decoded (upcast) when this build
 * knows the type, else taken as stored: a new event type is notified before the build that
 * decodes it is deployed.
 */
function notificationOf(recorded: RecordedEvent, ticketId: string, holder: Holder | undefined): Omit<NotificationRow, 'seq'> | undefined {
  const kind = notificationKindOf(recorded.type);
  if (kind === undefined) return undefined;
  if (holder === undefined) throw new Error(`ticket ${ticketId}: ${recorded.type} before its TicketOpened (the all-stream skipped one)`);
  const decoded = isTicketEventType(recorded.type) ? decodeTicketEvent(recorded) : undefined;
  const data = (decoded?.data ?? recorded.data) as unknown as JsonObject;
  const occurredAt = decoded?.occurredAt ?? text(recorded.metadata, 'occurredAt') ?? recorded.recordedAt.toISOString();
  const payload: JsonObject = { ...data, ticketId, occurredAt, eventId: recorded.eventId };
  let unitId = text(data, 'unitId') ?? holder.unit_id;
  // Delays and warnings name whoever held the ticket at the due or warning instant; a closing, who closed it.
  let userId =
    kind === 'ticket.delayed' || kind === 'ticket.closed' || kind === 'ticket.breach_warned' ? text(data, 'userId') : holder.user_id;
  if (kind === 'ticket.routed') {
    // Told to the receiving unit; nobody there holds it yet.
    unitId = text(data, 'toUnitId') ?? unitId;
    userId = null;
  }
  if (kind === 'ticket.escalated' && text(data, 'toUnitId') !== null) {
    // Told to where it was escalated: the unit, and its supervisor when the rule named one.
    unitId = text(data, 'toUnitId') ?? unitId;
    userId = text(data, 'toUserId');
  }
  // For the receiver to tell the customer: the closing event itself does not name them.
  if (kind === 'ticket.closed') payload.customer = holder.customer;
  return {
    id: recorded.eventId,
    kind,
    ticket_id: ticketId,
    unit_id: unitId,
    user_id: userId,
    occurred_at: occurredAt,
    position: recorded.position,
    payload,
  };
}

/**
 * Appends the batch's notifications to the outbox, numbered on from the last (seq), in
 * all-stream order, and keeps each touched ticket's customer and holder. The numbering depends
 * only on the events before, so a batch of 1 or of 10,000, and a rebuild, give the same rows.
 */
export async function applyNotificationEvents(
  client: pg.PoolClient,
  table: NotificationsTable,
  batch: readonly RecordedEvent[],
): Promise<void> {
  const ticketIds = [
    ...new Set(batch.filter((r) => r.streamId.startsWith(TICKET_STREAM_PREFIX)).map((r) => r.streamId.slice(TICKET_STREAM_PREFIX.length))),
  ];
  if (ticketIds.length === 0) return;
  const { rows: stored } = await client.query<NotificationTicketRow>(
    `SELECT ticket_id, customer, unit_id, user_id FROM ${table('notification_tickets')} WHERE ticket_id = ANY($1::text[])`,
    [ticketIds],
  );
  const holders = new Map<string, Holder | undefined>(stored.map(({ ticket_id, ...holder }) => [ticket_id, holder]));
  const notifications: Array<Omit<NotificationRow, 'seq'>> = [];
  for (const recorded of batch) {
    if (!recorded.streamId.startsWith(TICKET_STREAM_PREFIX)) continue;
    const ticketId = recorded.streamId.slice(TICKET_STREAM_PREFIX.length);
    const holder = holders.get(ticketId);
    const notification = notificationOf(recorded, ticketId, holder);
    if (notification) notifications.push(notification);
    holders.set(ticketId, holderAfter(holder, recorded));
  }
  const tickets: NotificationTicketRow[] = [...holders].flatMap(([ticketId, holder]) =>
    holder ? [{ ticket_id: ticketId, ...holder }] : [],
  );
  const ticketColumns = recordColumns(NOTIFICATION_TICKETS, ['ticket_id', 'customer', 'unit_id', 'user_id']);
  await client.query(
    `INSERT INTO ${table('notification_tickets')} (ticket_id, customer, unit_id, user_id)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${ticketColumns})
     ON CONFLICT (ticket_id) DO UPDATE SET customer = excluded.customer, unit_id = excluded.unit_id, user_id = excluded.user_id`,
    [JSON.stringify(tickets)],
  );
  if (notifications.length === 0) return;
  const columns = ['id', 'kind', 'ticket_id', 'unit_id', 'user_id', 'occurred_at', 'position', 'payload'] as const;
  // One runner writes a projection version at a time (its advisory lock), so max(seq) cannot move under this transaction.
  await client.query(
    `INSERT INTO ${table('notifications')} (seq, ${columns.join(', ')})
     SELECT (SELECT coalesce(max(seq), 0) FROM ${table('notifications')}) + x.ord, ${columns.join(', ')}
       FROM jsonb_to_recordset($1::jsonb) AS x(${recordColumns(NOTIFICATIONS, columns)}, ord bigint)`,
    [JSON.stringify(notifications.map((notification, index) => ({ ...notification, ord: index + 1 })))],
  );
}
