/**
 * Where `cli copy-events` keeps its progress: one row per target store, in the source
 * database. The copy reads the source and writes the target through the port, so only the
 * source is sure to be PostgreSQL; and the row says how far the source was read, so it belongs
 * with the source's positions (decisions.md, "copy-events (issue 9)").
 */

export const CREATE_COPIES_TABLE = `
CREATE TABLE IF NOT EXISTS event_store.copies (
  events_copied bigint NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  target text COLLATE "C" NOT NULL,
  position text COLLATE "C" NOT NULL,
  CONSTRAINT copies_pkey PRIMARY KEY (target),
  CONSTRAINT copies_events_copied_check CHECK (events_copied >= 0)
)`;

export const COMMENT_COPIES_TABLE = [
  `COMMENT ON TABLE event_store.copies IS 'Progress of copying this store''s ticket streams onto another event store ` +
    `(cli copy-events): one row per target, written after each batch the target has taken.'`,
  `COMMENT ON COLUMN event_store.copies.target IS 'The target store: its connection string without user name and password.'`,
  `COMMENT ON COLUMN event_store.copies.position IS 'Position in this store''s all-stream up to which every copied event ` +
    `is in the target (as the port writes positions, e.g. <transaction_id>:<global_seq>); the next run reads after it.'`,
  `COMMENT ON COLUMN event_store.copies.events_copied IS 'Events up to position that the target holds: appended by a copy ` +
    `or found already there.'`,
  `COMMENT ON COLUMN event_store.copies.started_at IS 'When the first copy to this target stored its first batch.'`,
  `COMMENT ON COLUMN event_store.copies.updated_at IS 'When the last batch was stored.'`,
];

/** Parameters: $1 target. Rows: `CopyRow` (none before the first batch). */
export const LOAD_COPY = {
  name: 'event_store.load_copy',
  text: `SELECT c.position, c.events_copied, c.started_at, c.updated_at FROM event_store.copies c WHERE c.target = $1`,
};

export interface CopyRow {
  position: string;
  /** bigint arrives as a decimal string */
  events_copied: string;
  started_at: Date;
  updated_at: Date;
}

/** Parameters: $1 target, $2 position, $3 events copied. The first save starts the row; later ones move it on. */
export const SAVE_COPY = {
  name: 'event_store.save_copy',
  text: `INSERT INTO event_store.copies AS c (target, position, events_copied)
         VALUES ($1, $2, $3::bigint)
         ON CONFLICT (target) DO UPDATE
            SET position = excluded.position, events_copied = excluded.events_copied, updated_at = clock_timestamp()`,
};

/** Parameters: $1 target. Starts the copy to that target over from the beginning. */
export const FORGET_COPY = {
  name: 'event_store.forget_copy',
  text: `DELETE FROM event_store.copies c WHERE c.target = $1`,
};
