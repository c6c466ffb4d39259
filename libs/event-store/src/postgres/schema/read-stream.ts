import { EVENT_COLUMNS } from './event-row.js';

/**
 * One stream's events through the unique index (stream_id, revision). A stream read is for
 * deciding a command, so it sees every committed event; only the all-stream readers wait
 * for the snapshot xmin.
 * Parameters: $1 stream id, $2 first revision (inclusive), $3 max count (NULL: all).
 * Rows: `EventRow`.
 */
export const READ_STREAM_FORWARDS = {
  name: 'event_store.read_stream_forwards',
  text: `SELECT ${EVENT_COLUMNS}
           FROM event_store.events e
          WHERE e.stream_id = $1 AND e.revision >= $2::bigint
          ORDER BY e.revision
          LIMIT $3::bigint`,
};

/** As READ_STREAM_FORWARDS, from $2 (inclusive) down to revision 0. */
export const READ_STREAM_BACKWARDS = {
  name: 'event_store.read_stream_backwards',
  text: `SELECT ${EVENT_COLUMNS}
           FROM event_store.events e
          WHERE e.stream_id = $1 AND e.revision <= $2::bigint
          ORDER BY e.revision DESC
          LIMIT $3::bigint`,
};

/** Stands for "from the last event" in READ_STREAM_BACKWARDS. */
export const LAST_REVISION = '9223372036854775807';
