/** A row of analytics.notifications as pg returns it. */
export interface NotificationRecord {
  seq: string;
  id: string;
  kind: string;
  ticket_id: string;
  unit_id: string | null;
  user_id: string | null;
  occurred_at: Date;
  position: string;
  payload: Record<string, unknown>;
}

/** A notification as webhooks, GET /notifications and GET /events/stream show it. */
export interface NotificationBody {
  id: string;
  seq: number;
  kind: string;
  ticketId: string;
  unitId: string | null;
  userId: string | null;
  occurredAt: string;
  position: string;
  payload: Record<string, unknown>;
}

export function notificationBody(row: NotificationRecord): NotificationBody {
  return {
    id: row.id,
    seq: Number(row.seq),
    kind: row.kind,
    ticketId: row.ticket_id,
    unitId: row.unit_id,
    userId: row.user_id,
    occurredAt: row.occurred_at.toISOString(),
    position: row.position,
    payload: row.payload,
  };
}
