import { isTicketEventType, TICKET_EVENT_SCHEMA_VERSION, type TicketEvent } from './events.js';

/**
 * Between domain events and what the store keeps: `data` as stored, `occurredAt` and the
 * schema version in the metadata (DESIGN.md "The ticket stream").
 */
export interface StoredEventShape {
  type: string;
  data: object;
  metadata: { [key: string]: unknown };
}

export function decodeTicketEvent(stored: StoredEventShape): TicketEvent {
  if (!isTicketEventType(stored.type)) throw new Error(`unknown ticket event type ${stored.type}`);
  const occurredAt = stored.metadata.occurredAt;
  if (typeof occurredAt !== 'string') throw new Error(`event ${stored.type} has no occurredAt in its metadata`);
  const version = stored.metadata.schemaVersion ?? TICKET_EVENT_SCHEMA_VERSION;
  if (version !== TICKET_EVENT_SCHEMA_VERSION) throw new Error(`event ${stored.type} has schema version ${String(version)}; this build reads ${TICKET_EVENT_SCHEMA_VERSION}`);
  return { type: stored.type, data: stored.data, occurredAt } as TicketEvent;
}
