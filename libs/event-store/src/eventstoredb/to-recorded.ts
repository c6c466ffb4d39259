import type { AllStreamRecordedEvent, RecordedEvent as ClientRecordedEvent } from '@eventstore/db-client';
import type { AllFilter, JsonObject, RecordedEvent } from '../port/event-store.js';
import { formatPosition } from './position.js';

/**
 * System streams (`$epoch-information`, `$stats-…`, `$settings`, …) and system event types start
 * with `$`; the product never writes either, so neither is ever one of ours.
 */
export function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

/** The port's filter applied on this side: the server filter covers one criterion, this checks both. */
export function matchesFilter(filter: AllFilter | undefined, event: { streamId: string; type: string }): boolean {
  if (isSystemEvent(event)) return false;
  if (filter?.streamPrefixes && !filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) return false;
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  return true;
}

export function toRecorded(event: ClientRecordedEvent | AllStreamRecordedEvent): RecordedEvent {
  if (!event.position) throw new Error(`EventStoreDB returned event ${event.id} of ${event.streamId} without a position`);
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: formatPosition(event.position),
    eventId: event.id,
    type: event.type,
    data: jsonObject(event.data, event, 'data'),
    metadata: event.metadata === undefined ? {} : jsonObject(event.metadata, event, 'metadata'),
    recordedAt: event.created,
  };
}

/** Every event the product writes is JSON with object data and metadata; anything else is not ours to read. */
function jsonObject(value: unknown, event: { id: string; streamId: string }, part: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new Error(`event ${event.id} of ${event.streamId}: its ${part} is not a JSON object`);
  }
  return value as JsonObject;
}
