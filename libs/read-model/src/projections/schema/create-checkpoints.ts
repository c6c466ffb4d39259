/**
 * The projection engine's own tables. Every statement is idempotent: `migrateProjections`
 * runs them on every start of the API, the projector and the CLI.
 */

export const CREATE_PROJECTIONS_SCHEMA = [
  `CREATE SCHEMA IF NOT EXISTS projections`,
  `COMMENT ON SCHEMA projections IS 'Physical tables of the projections, one set per version (<table>_v<version>), ` +
    `and their checkpoints. Analysts query the views in schema analytics, which always read the live version.'`,
  `CREATE SCHEMA IF NOT EXISTS analytics`,
  `COMMENT ON SCHEMA analytics IS 'Stable views for analysts and reports: one per projection table, ` +
    `reading the live version''s physical table in schema projections. Names and columns are documented with COMMENT ON.'`,
];

/*
 * One row per projection version ever built. `version` is the physical version (the suffix of
 * the table names); `definition_version` is the version of the code that builds it. They are
 * equal unless `cli rebuild` rebuilt a definition into a fresh set of tables.
 */
export const CREATE_CHECKPOINTS_TABLE = `
CREATE TABLE IF NOT EXISTS projections.checkpoints (
  name text NOT NULL,
  version integer NOT NULL,
  definition_version integer NOT NULL,
  state text NOT NULL,
  position text,
  events_seen bigint NOT NULL DEFAULT 0,
  events_applied bigint NOT NULL DEFAULT 0,
  last_event_recorded_at timestamptz,
  event_types text[] NOT NULL,
  tables text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  live_since timestamptz,
  retired_at timestamptz,
  CONSTRAINT checkpoints_pkey PRIMARY KEY (name, version),
  CONSTRAINT checkpoints_state_check CHECK (state IN ('building', 'live', 'retired')),
  CONSTRAINT checkpoints_version_check CHECK (version > 0 AND definition_version > 0)
)`;

/** At most one live version per projection: the one the analytics views read. */
export const CREATE_ONE_LIVE_INDEX = `CREATE UNIQUE INDEX IF NOT EXISTS checkpoints_one_live_key
  ON projections.checkpoints (name) WHERE state = 'live'`;

export const COMMENT_CHECKPOINTS_TABLE = [
  `COMMENT ON TABLE projections.checkpoints IS 'One row per version of each projection: how far it has read the event store. ` +
    `The row is updated in the same transaction as the batch of events it applied, so tables and checkpoint never disagree.'`,
  `COMMENT ON COLUMN projections.checkpoints.name IS 'The projection''s name.'`,
  `COMMENT ON COLUMN projections.checkpoints.version IS 'Physical version: its tables are projections.<table>_v<version>.'`,
  `COMMENT ON COLUMN projections.checkpoints.definition_version IS 'Version of the projection''s code that builds this version ` +
    `(differs from version after a cli rebuild into fresh tables).'`,
  `COMMENT ON COLUMN projections.checkpoints.state IS 'building: catching up beside the live version, not yet read by the views; ` +
    `live: the views read it; retired: replaced, no longer updated (its tables stay until cli rebuild --drop-retired).'`,
  `COMMENT ON COLUMN projections.checkpoints.position IS 'Event-store position read up to (exclusive start of the next read); ` +
    `null before the first batch. Opaque: compare positions only through the event store.'`,
  `COMMENT ON COLUMN projections.checkpoints.events_seen IS 'Events of the projection''s types read from the event store into ` +
    `committed batches.'`,
  `COMMENT ON COLUMN projections.checkpoints.events_applied IS 'Events handed to the projection''s handler in committed batches ` +
    `(rolled-back attempts are not counted).'`,
  `COMMENT ON COLUMN projections.checkpoints.last_event_recorded_at IS 'When the event store recorded the last event applied.'`,
  `COMMENT ON COLUMN projections.checkpoints.event_types IS 'The event types this version reads, as its definition declared them.'`,
  `COMMENT ON COLUMN projections.checkpoints.tables IS 'The logical names of this version''s tables (the views in schema analytics).'`,
  `COMMENT ON COLUMN projections.checkpoints.created_at IS 'When this version''s tables were created.'`,
  `COMMENT ON COLUMN projections.checkpoints.updated_at IS 'When the checkpoint last moved or changed state.'`,
  `COMMENT ON COLUMN projections.checkpoints.live_since IS 'When the views were switched to this version.'`,
  `COMMENT ON COLUMN projections.checkpoints.retired_at IS 'When this version stopped being live or building.'`,
];
