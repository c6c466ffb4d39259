/**
 * The event store's tables, in a schema of their own so the read models (libs/read-model)
 * never collide with them. Every statement is idempotent: `migrateEventStore` may run them
 * again on every start.
 */

export const CREATE_SCHEMA = `CREATE SCHEMA IF NOT EXISTS event_store`;

export const CREATE_SCHEMA_VERSIONS_TABLE = `
CREATE TABLE IF NOT EXISTS event_store.schema_versions (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
)`;

export const COMMENT_SCHEMA_VERSIONS_TABLE = [
  `COMMENT ON TABLE event_store.schema_versions IS 'One row per applied event-store migration (migrateEventStore).'`,
  `COMMENT ON COLUMN event_store.schema_versions.version IS 'Migration number, applied in ascending order.'`,
  `COMMENT ON COLUMN event_store.schema_versions.name IS 'What the migration does.'`,
  `COMMENT ON COLUMN event_store.schema_versions.applied_at IS 'When the migration was applied.'`,
];

/*
 * Fixed-width columns come first so rows pack without alignment padding. Stream ids and types
 * are identifiers, not prose: byte order ("C") keeps the unique index on (stream_id, revision)
 * from calling the locale's collation on every comparison of every append. The primary key
 * is the all-stream order itself, (transaction_id, global_seq): readers page through it with
 * a row comparison and never by global_seq alone, which commits out of order.
 */
export const CREATE_EVENTS_TABLE = `
CREATE TABLE IF NOT EXISTS event_store.events (
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  global_seq bigserial NOT NULL,
  revision bigint NOT NULL,
  event_id uuid NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  stream_id text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  CONSTRAINT events_pkey PRIMARY KEY (transaction_id, global_seq),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_revision_check CHECK (revision >= 0)
)`;

export const COMMENT_EVENTS_TABLE = [
  `COMMENT ON TABLE event_store.events IS 'The system of record: every event of every stream, ` +
    `appended only through event_store.append_events. All-stream order is (transaction_id, global_seq); ` +
    `readers see only rows whose transaction_id is below the xmin of their snapshot, ` +
    `so no reader ever skips an event that commits late.'`,
  `COMMENT ON COLUMN event_store.events.transaction_id IS 'Id of the appending transaction (first part of the global position). ` +
    `Appends to one stream take a stream lock before their first write, ` +
    `so a later append to a stream always has a larger transaction id.'`,
  `COMMENT ON COLUMN event_store.events.global_seq IS 'Insertion sequence (second part of the global position); ` +
    `orders events within one transaction. Not an order on its own: sequence values commit out of order.'`,
  `COMMENT ON COLUMN event_store.events.revision IS '0-based position of the event in its stream; unique per stream.'`,
  `COMMENT ON COLUMN event_store.events.event_id IS 'The event id the writer gave (UUID, derived from the command id); ` +
    `unique across the store, so a retried append is recognised.'`,
  `COMMENT ON COLUMN event_store.events.recorded_at IS 'When the store wrote the event (clock time of the insert).'`,
  `COMMENT ON COLUMN event_store.events.stream_id IS 'The stream the event belongs to, e.g. ticket-<uuid>.'`,
  `COMMENT ON COLUMN event_store.events.type IS 'Stable event type name, e.g. TicketOpened.'`,
  `COMMENT ON COLUMN event_store.events.data IS 'The event payload as the domain defines it.'`,
  `COMMENT ON COLUMN event_store.events.metadata IS 'Event metadata: eventId, commandId, correlationId, causationId, actor, ` +
    `occurredAt, schemaVersion.'`,
];
