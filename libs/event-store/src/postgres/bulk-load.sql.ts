/**
 * One bulk-load batch: rows of the events table in one statement, autocommit, so the batch is
 * one transaction with one transaction id.
 *
 * Rows travel as one JSON array of `[stream_id, revision, event_id, type, data, metadata]`:
 * one jsonb parse on the server instead of array literals of escaped JSON, as in
 * append_events. The columns the append leaves to their defaults are left to them here too
 * (transaction_id, global_seq, recorded_at), so a loaded row is stored as an appended one.
 * Rows take their sequence values in the order of the ORDER BY, the order of the array (the
 * append function relies on the same), so the all-stream order is the order of the batch.
 *
 * Parameters: $1 the rows. Result: the batch's transaction id and last global_seq (its last
 * position) and how many rows it wrote.
 */
export const BULK_INSERT_EVENTS = {
  name: 'event_store.bulk_insert_events',
  text: `WITH loaded AS (
           INSERT INTO event_store.events (stream_id, revision, event_id, type, data, metadata)
           SELECT u.row->>0, (u.row->>1)::bigint, (u.row->>2)::uuid, u.row->>3, u.row->4, u.row->5
             FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS u(row, ordinality)
            ORDER BY u.ordinality
           RETURNING global_seq
         )
         SELECT pg_current_xact_id()::text AS transaction_id, max(loaded.global_seq)::text AS global_seq, count(*)::int AS events
           FROM loaded`,
};

export interface BulkInsertRow {
  transaction_id: string;
  global_seq: string;
  events: number;
}

/** The last revision a stream has now ($1 stream id), after a load found it taken. */
export const STREAM_LAST_REVISION = {
  name: 'event_store.bulk_load_stream_last_revision',
  text: `SELECT max(e.revision)::text AS revision FROM event_store.events e WHERE e.stream_id = $1`,
};

export const STREAM_REVISION_UNIQUE_CONSTRAINT = 'events_stream_revision_key';

/** Which of the streams ($1 stream ids) hold any event: a revision 0 is there exactly then (the unique index answers). */
export const STREAMS_WITH_EVENTS = {
  name: 'event_store.bulk_load_streams_with_events',
  text: `SELECT e.stream_id FROM event_store.events e WHERE e.stream_id = ANY($1::text[]) AND e.revision = 0`,
};

/**
 * After a load: the planner's statistics of the events table. Until autoanalyze reaches a table
 * loaded by millions of rows (up to a minute, or never before a rebuild that starts at once), the
 * per-stream read of a rebuild (READ_STREAMS) was planned as a sort of every row of the prefix,
 * spilled to disk, per page: 300–520 ms a page instead of 13–20 ms by the index.
 */
export const ANALYZE_EVENTS = 'ANALYZE event_store.events';
