/**
 * The per-stream phase of a rebuild (DESIGN.md §5, docs/decisions.md "Per-stream rebuild"):
 * one row per version while the phase runs, moved in the same transaction as each chunk it
 * applies, and deleted in the transaction that sets the version's checkpoint to the head. A
 * row here means: the version's checkpoint is still null and the phase resumes from the row.
 */

export const CREATE_PER_STREAM_BUILDS_TABLE = `
CREATE TABLE IF NOT EXISTS projections.per_stream_builds (
  name text NOT NULL,
  version integer NOT NULL,
  head text NOT NULL,
  stream_prefix text NOT NULL,
  outside_after text,
  outside_done boolean NOT NULL DEFAULT false,
  last_stream_id text,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT per_stream_builds_pkey PRIMARY KEY (name, version),
  CONSTRAINT per_stream_builds_version_fkey FOREIGN KEY (name, version) REFERENCES projections.checkpoints (name, version) ON DELETE CASCADE
)`;

export const COMMENT_PER_STREAM_BUILDS_TABLE = [
  `COMMENT ON TABLE projections.per_stream_builds IS 'A version being rebuilt per stream: up to a fixed head, first the events of ` +
    `the streams outside the prefix in all-stream order, then the streams of the prefix whole, chunk after chunk. Moved with each ` +
    `chunk in its transaction; deleted when the checkpoint is set to the head, from where the version follows the log.'`,
  `COMMENT ON COLUMN projections.per_stream_builds.name IS 'The projection''s name.'`,
  `COMMENT ON COLUMN projections.per_stream_builds.version IS 'The physical version being built.'`,
  `COMMENT ON COLUMN projections.per_stream_builds.head IS 'The event-store position fixed when the phase began: ` +
    `it folds nothing after it.'`,
  `COMMENT ON COLUMN projections.per_stream_builds.stream_prefix IS 'The streams folded whole, e.g. ticket-.'`,
  `COMMENT ON COLUMN projections.per_stream_builds.outside_after IS 'Position of the last applied event of the other streams ` +
    `(null: none yet).'`,
  `COMMENT ON COLUMN projections.per_stream_builds.outside_done IS 'The other streams are applied up to the head.'`,
  `COMMENT ON COLUMN projections.per_stream_builds.last_stream_id IS 'The last stream of the prefix folded (streams go in byte ` +
    `order of their ids); null: none yet.'`,
  `COMMENT ON COLUMN projections.per_stream_builds.started_at IS 'When the phase began.'`,
  `COMMENT ON COLUMN projections.per_stream_builds.updated_at IS 'When the last chunk was committed.'`,
];

export interface PerStreamBuildRow {
  name: string;
  version: number;
  head: string;
  stream_prefix: string;
  outside_after: string | null;
  outside_done: boolean;
  last_stream_id: string | null;
}

/** $1 name, $2 version. */
export const LOAD_PER_STREAM_BUILD = {
  name: 'projections.load_per_stream_build',
  text: `SELECT b.name, b.version, b.head, b.stream_prefix, b.outside_after, b.outside_done, b.last_stream_id
           FROM projections.per_stream_builds b WHERE b.name = $1 AND b.version = $2`,
};

/**
 * Begins the phase of a version that has applied nothing yet (checkpoint null, not retired).
 * $1 name, $2 version, $3 head, $4 prefix. Returns a row when it began.
 */
export const BEGIN_PER_STREAM_BUILD = {
  name: 'projections.begin_per_stream_build',
  text: `INSERT INTO projections.per_stream_builds (name, version, head, stream_prefix)
         SELECT c.name, c.version, $3, $4 FROM projections.checkpoints c
          WHERE c.name = $1 AND c.version = $2 AND c.position IS NULL AND c.state <> 'retired'
         ON CONFLICT (name, version) DO NOTHING
         RETURNING 1`,
};

/**
 * The compare-and-set of one chunk, first in its transaction (it locks the row): from what the
 * runner read after ($3 outside_after, $4 last_stream_id) to $5, $6, $7 outside_done. The
 * version's counters move too, and only while its checkpoint is null and it is not retired.
 * $8 events applied. Returns a row when it moved.
 */
export const MOVE_PER_STREAM_BUILD = {
  name: 'projections.move_per_stream_build',
  text: `WITH moved AS (
           UPDATE projections.per_stream_builds b
              SET outside_after = $5, last_stream_id = $6, outside_done = $7, updated_at = clock_timestamp()
            WHERE b.name = $1 AND b.version = $2
              AND b.outside_after IS NOT DISTINCT FROM $3::text AND b.last_stream_id IS NOT DISTINCT FROM $4::text
              AND EXISTS (SELECT 1 FROM projections.checkpoints c
                           WHERE c.name = $1 AND c.version = $2 AND c.position IS NULL AND c.state <> 'retired')
           RETURNING 1
         )
         UPDATE projections.checkpoints c
            SET events_seen = c.events_seen + $8::bigint, events_applied = c.events_applied + $8::bigint, updated_at = clock_timestamp()
          WHERE c.name = $1 AND c.version = $2 AND EXISTS (SELECT 1 FROM moved)
         RETURNING 1`,
};

/** Ends the phase: $1 name, $2 version. The checkpoint is set to the head by STORE_CHECKPOINT in the same transaction. */
export const END_PER_STREAM_BUILD = {
  name: 'projections.end_per_stream_build',
  text: `DELETE FROM projections.per_stream_builds b WHERE b.name = $1 AND b.version = $2 RETURNING b.head`,
};
