/**
 * The statements on projections.checkpoints, one named module each (STYLE.md: SQL as small
 * named modules). Positions travel as text: they are the event store's opaque strings.
 */

export type VersionState = 'building' | 'live' | 'retired';

export interface CheckpointRow {
  name: string;
  version: number;
  definition_version: number;
  state: VersionState;
  position: string | null;
  /** bigint: a decimal string */
  events_seen: string;
  events_applied: string;
  last_event_recorded_at: Date | null;
  event_types: string[];
  tables: string[];
  created_at: Date;
  updated_at: Date;
  live_since: Date | null;
  retired_at: Date | null;
}

const COLUMNS = `c.name, c.version, c.definition_version, c.state, c.position, c.events_seen, c.events_applied,
       c.last_event_recorded_at, c.event_types, c.tables, c.created_at, c.updated_at, c.live_since, c.retired_at`;

/** $1 name, $2 version. */
export const LOAD_CHECKPOINT = {
  name: 'projections.load_checkpoint',
  text: `SELECT ${COLUMNS} FROM projections.checkpoints c WHERE c.name = $1 AND c.version = $2`,
};

/** Every version of every projection, for status. */
export const LIST_CHECKPOINTS = {
  name: 'projections.list_checkpoints',
  text: `SELECT ${COLUMNS} FROM projections.checkpoints c ORDER BY c.name, c.version`,
};

/**
 * The versions of one projection, locked: only under the catalog lock (TAKE_CATALOG_LOCK),
 * so that planning, switching and dropping never interleave. $1 name.
 */
export const LOCK_VERSIONS = {
  name: 'projections.lock_versions',
  text: `SELECT ${COLUMNS} FROM projections.checkpoints c WHERE c.name = $1 ORDER BY c.version FOR UPDATE`,
};

/**
 * Serialises the changes to one projection's set of versions (creating, switching, retiring,
 * dropping) across processes; transaction-scoped. $1 name.
 */
export const TAKE_CATALOG_LOCK = {
  name: 'projections.take_catalog_lock',
  text: `SELECT pg_advisory_xact_lock(hashtextextended('projections.catalog:' || $1, 2))`,
};

/**
 * One runner per projection version: a session lock held on a connection of its own, so a
 * second projector waits as a hot standby and takes over when the connection ends. $1 name,
 * $2 version.
 */
export const TRY_RUNNER_LOCK = {
  name: 'projections.try_runner_lock',
  text: `SELECT pg_try_advisory_lock(hashtextextended('projections.runner:' || $1 || ':' || $2::text, 2)) AS locked`,
};

export const RELEASE_RUNNER_LOCK = {
  name: 'projections.release_runner_lock',
  text: `SELECT pg_advisory_unlock(hashtextextended('projections.runner:' || $1 || ':' || $2::text, 2)) AS released`,
};

/** The next physical version: never below the definition's, never one used before. $1 name, $2 definition version. */
export const NEXT_VERSION = {
  name: 'projections.next_version',
  text: `SELECT greatest($2::integer, coalesce(max(c.version), 0) + 1) AS version FROM projections.checkpoints c WHERE c.name = $1`,
};

/** $1 name, $2 version, $3 definition version, $4 state, $5 event types, $6 tables. */
export const INSERT_VERSION = {
  name: 'projections.insert_version',
  text: `INSERT INTO projections.checkpoints (name, version, definition_version, state, event_types, tables, live_since)
         VALUES ($1, $2, $3, $4, $5::text[], $6::text[], CASE WHEN $4 = 'live' THEN clock_timestamp() END)`,
};

/** $1 name, $2 version. */
export const RETIRE_VERSION = {
  name: 'projections.retire_version',
  text: `UPDATE projections.checkpoints SET state = 'retired', retired_at = clock_timestamp(), updated_at = clock_timestamp()
          WHERE name = $1 AND version = $2 AND state <> 'retired'`,
};

/** $1 name, $2 version. */
export const MARK_LIVE = {
  name: 'projections.mark_live',
  text: `UPDATE projections.checkpoints SET state = 'live', live_since = clock_timestamp(), updated_at = clock_timestamp()
          WHERE name = $1 AND version = $2`,
};

/** $1 name, $2 version: after its tables were dropped. */
export const DELETE_VERSION = {
  name: 'projections.delete_version',
  text: `DELETE FROM projections.checkpoints WHERE name = $1 AND version = $2 AND state = 'retired'`,
};

/**
 * The checkpoint's compare-and-set, the first statement of a batch's transaction: it moves the
 * position from $3 (what the runner read after) to $4 and locks the row until the batch
 * commits, so a second runner of the same version (a lost advisory lock, a partition) waits
 * here and then finds the position moved: its batch is rolled back, never applied twice.
 *
 * The outer query reads the snapshot before the update, so a row that was not updated shows
 * why: gone, retired, already at $4, or somewhere else.
 * $1 name, $2 version, $3 expected position (null: none yet), $4 new position,
 * $5 events seen, $6 events applied, $7 recorded_at of the batch's last event (or null).
 */
export const STORE_CHECKPOINT = {
  name: 'projections.store_checkpoint',
  text: `WITH stored AS (
           UPDATE projections.checkpoints c
              SET position = $4,
                  events_seen = c.events_seen + $5::bigint,
                  events_applied = c.events_applied + $6::bigint,
                  last_event_recorded_at = coalesce($7::timestamptz, c.last_event_recorded_at),
                  updated_at = clock_timestamp()
            WHERE c.name = $1 AND c.version = $2
              AND c.position IS NOT DISTINCT FROM $3::text
              AND c.state <> 'retired'
           RETURNING 1
         )
         SELECT EXISTS (SELECT 1 FROM stored) AS stored, c.position, c.state
           FROM (SELECT 1) AS one
           LEFT JOIN projections.checkpoints c ON c.name = $1 AND c.version = $2`,
};

export interface StoreCheckpointRow {
  stored: boolean;
  /** before the statement; null also when the row is gone (then state is null too) */
  position: string | null;
  state: VersionState | null;
}

/** The live version of each named projection, for read-your-writes. $1 names. */
export const LIVE_POSITIONS = {
  name: 'projections.live_positions',
  text: `SELECT c.name, c.version, c.position FROM projections.checkpoints c WHERE c.name = ANY ($1::text[]) AND c.state = 'live'`,
};

export interface LivePositionRow {
  name: string;
  version: number;
  position: string | null;
}
