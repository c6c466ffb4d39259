import type { JsonObject } from '../../port/event-store.js';

/*
 * Event reads come back in array row mode with few, cheap columns: on a full all-stream read
 * node-postgres' per-column decoding costs about as much as parsing the JSON payloads, so the
 * position is one text column and recorded_at arrives as epoch milliseconds (a float parse
 * instead of node-postgres' regular-expression timestamp parser).
 */
export const EVENT_COLUMNS = `e.transaction_id::text || ':' || e.global_seq::text AS position,
       e.stream_id, e.revision, e.event_id, e.type, e.data, e.metadata,
       (extract(epoch FROM e.recorded_at) * 1000)::float8 AS recorded_at_ms`;

/** A row selected with EVENT_COLUMNS: bigint and uuid arrive as strings. */
export type EventRow = [
  position: string,
  streamId: string,
  revision: string,
  eventId: string,
  type: string,
  data: JsonObject,
  metadata: JsonObject,
  recordedAtMs: number,
];
