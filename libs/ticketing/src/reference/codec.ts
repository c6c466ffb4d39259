import { isReferenceEventType, type ReferenceEvent } from './events.js';

/**
 * Between reference events and what the store keeps, like the ticket codec: `data` as stored,
 * `occurredAt` and the schema version in the metadata, with the command that wrote it.
 */
export const REFERENCE_EVENT_SCHEMA_VERSION = 1;

export interface EncodedReferenceEvent {
  eventId: string;
  type: ReferenceEvent['type'];
  data: { [key: string]: unknown };
  metadata: { [key: string]: unknown };
}

export class ReferenceEventDecodeError extends Error {
  constructor(
    readonly eventType: string,
    reason: string,
  ) {
    super(`reference event ${eventType}: ${reason}`);
    this.name = 'ReferenceEventDecodeError';
  }
}

export function encodeReferenceEvent(event: ReferenceEvent, eventId: string, commandId: string): EncodedReferenceEvent {
  return {
    eventId,
    type: event.type,
    data: { ...event.data },
    metadata: { eventId, commandId, occurredAt: event.occurredAt, schemaVersion: REFERENCE_EVENT_SCHEMA_VERSION },
  };
}

export function decodeReferenceEvent(stored: { type: string; data: object; metadata: { [key: string]: unknown } }): ReferenceEvent {
  if (!isReferenceEventType(stored.type)) throw new ReferenceEventDecodeError(stored.type, 'unknown reference event type');
  const occurredAt = stored.metadata.occurredAt;
  if (typeof occurredAt !== 'string') throw new ReferenceEventDecodeError(stored.type, 'no occurredAt in its metadata');
  const version = stored.metadata.schemaVersion ?? REFERENCE_EVENT_SCHEMA_VERSION;
  if (version !== REFERENCE_EVENT_SCHEMA_VERSION) {
    throw new ReferenceEventDecodeError(
      stored.type,
      `schema version ${String(version)}; this build reads ${REFERENCE_EVENT_SCHEMA_VERSION}`,
    );
  }
  return { type: stored.type, data: stored.data, occurredAt } as ReferenceEvent;
}
