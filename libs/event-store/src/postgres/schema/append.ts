/**
 * Appending is one function call (or, for one event, the one statement APPEND_ONE_EVENT below),
 * so an append is one round trip and one short transaction when called in autocommit.
 *
 * Why the stream lock comes first: an advisory lock assigns no transaction id, the first
 * INSERT does. Taking the stream's lock before any write means every later append to the
 * stream gets its id after this one committed, hence a larger one: stream order agrees with
 * the all-stream order (transaction_id, global_seq).
 *
 * Idempotency costs nothing on the way that succeeds: a retried append either fails its
 * expected revision (the first attempt moved the stream on) or collides on the unique index
 * events_event_id_key. Only then does `find_appended` look for the first attempt, so a retry
 * after a lost answer gets the first answer back instead of a conflict with its own events.
 * The collision aborts the statement, so the caller (TypeScript) asks `find_appended` itself
 * in a second round trip; retries are rare.
 *
 * Failures carry their own SQLSTATEs, mapped to the port's errors in TypeScript:
 * - ESWRV: wrong expected revision; DETAIL is the current revision or 'no_stream'.
 * - ESDUP: an event id that is stored elsewhere or overlaps partly; DETAIL is that event id.
 */

export const WRONG_EXPECTED_REVISION_SQLSTATE = 'ESWRV';
export const DUPLICATE_EVENT_ID_SQLSTATE = 'ESDUP';
export const EVENT_ID_UNIQUE_CONSTRAINT = 'events_event_id_key';

export const CREATE_FIND_APPENDED_FUNCTION = `
CREATE OR REPLACE FUNCTION event_store.find_appended(
  p_stream_id text,
  p_events jsonb,
  OUT last_revision bigint,
  OUT transaction_id xid8,
  OUT global_seq bigint,
  OUT already_appended boolean
)
LANGUAGE plpgsql
STABLE
AS $function$
#variable_conflict use_column
DECLARE
  v_count integer := jsonb_array_length(p_events);
  v_first_event_id uuid := (p_events->0->>'eventId')::uuid;
  v_found_stream text;
  v_found_revision bigint;
BEGIN
  already_appended := false;
  SELECT e.stream_id, e.revision INTO v_found_stream, v_found_revision
    FROM event_store.events e
   WHERE e.event_id = v_first_event_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF v_found_stream = p_stream_id AND ARRAY(
       SELECT e.event_id FROM event_store.events e
        WHERE e.stream_id = p_stream_id
          AND e.revision >= v_found_revision
          AND e.revision < v_found_revision + v_count
        ORDER BY e.revision
     ) = ARRAY(SELECT (event->>'eventId')::uuid FROM jsonb_array_elements(p_events) AS event) THEN
    SELECT e.revision, e.transaction_id, e.global_seq, true
      INTO last_revision, transaction_id, global_seq, already_appended
      FROM event_store.events e
     WHERE e.stream_id = p_stream_id AND e.revision = v_found_revision + v_count - 1;
    RETURN;
  END IF;
  RAISE EXCEPTION 'event % is already stored and does not match this append to %', v_first_event_id, p_stream_id
    USING ERRCODE = 'ESDUP', DETAIL = v_first_event_id::text;
END;
$function$`;

export const COMMENT_FIND_APPENDED_FUNCTION =
  `COMMENT ON FUNCTION event_store.find_appended(text, jsonb) IS 'Whether these events (a JSON array of {eventId, ...}) ` +
  `are already the events of an earlier append to this stream: returns that append''s last revision and position with ` +
  `already_appended, or already_appended = false when the first event id is not stored; ` +
  `raises ESDUP when it is stored but not as exactly this append.'`;

export const CREATE_APPEND_FUNCTION = `
CREATE OR REPLACE FUNCTION event_store.append_events(
  p_stream_id text,
  p_expected_revision text,
  p_events jsonb,
  OUT last_revision bigint,
  OUT transaction_id xid8,
  OUT global_seq bigint,
  OUT already_appended boolean
)
LANGUAGE plpgsql
AS $function$
#variable_conflict use_column
DECLARE
  v_count integer;
  v_current bigint;
  v_wrong boolean;
  v_earlier record;
  v_event jsonb;
BEGIN
  IF jsonb_typeof(p_events) IS DISTINCT FROM 'array' OR jsonb_array_length(p_events) = 0 THEN
    RAISE EXCEPTION 'an append needs a non-empty array of events' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_count := jsonb_array_length(p_events);

  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));

  SELECT e.revision INTO v_current
    FROM event_store.events e
   WHERE e.stream_id = p_stream_id
   ORDER BY e.revision DESC
   LIMIT 1;

  IF p_expected_revision = 'any' THEN
    v_wrong := false;
  ELSIF p_expected_revision = 'no_stream' THEN
    v_wrong := v_current IS NOT NULL;
  ELSIF p_expected_revision = 'stream_exists' THEN
    v_wrong := v_current IS NULL;
  ELSIF p_expected_revision ~ '^[0-9]{1,18}$' THEN
    v_wrong := v_current IS DISTINCT FROM p_expected_revision::bigint;
  ELSE
    RAISE EXCEPTION 'unknown expected revision %', p_expected_revision USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF v_wrong THEN
    v_earlier := event_store.find_appended(p_stream_id, p_events);
    IF v_earlier.already_appended THEN
      last_revision := v_earlier.last_revision;
      transaction_id := v_earlier.transaction_id;
      global_seq := v_earlier.global_seq;
      already_appended := true;
      RETURN;
    END IF;
    RAISE EXCEPTION 'stream %: expected revision %, but it is %', p_stream_id, p_expected_revision, coalesce(v_current::text, 'no_stream')
      USING ERRCODE = 'ESWRV', DETAIL = coalesce(v_current::text, 'no_stream');
  END IF;

  -- One event per append is the common case; a single-row INSERT is measurably cheaper than the set-returning path.
  IF v_count = 1 THEN
    v_event := p_events->0;
    INSERT INTO event_store.events AS e (stream_id, revision, event_id, type, data, metadata)
    VALUES (p_stream_id, coalesce(v_current, -1) + 1, (v_event->>'eventId')::uuid, v_event->>'type', v_event->'data', v_event->'metadata')
    RETURNING e.transaction_id, e.global_seq INTO transaction_id, global_seq;
  ELSE
    INSERT INTO event_store.events (stream_id, revision, event_id, type, data, metadata)
    SELECT p_stream_id, coalesce(v_current, -1) + u.ordinality, (u.event->>'eventId')::uuid,
           u.event->>'type', u.event->'data', u.event->'metadata'
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS u(event, ordinality)
     ORDER BY u.ordinality;
    -- Rows take their sequence values in insertion order, so the session's last value belongs
    -- to the last event (the sequence is the one bigserial made for global_seq).
    transaction_id := pg_current_xact_id();
    global_seq := currval('event_store.events_global_seq_seq');
  END IF;
  last_revision := coalesce(v_current, -1) + v_count;
  already_appended := false;
END;
$function$`;

export const COMMENT_APPEND_FUNCTION =
  `COMMENT ON FUNCTION event_store.append_events(text, text, jsonb) IS 'Appends events ` +
  `(a JSON array of {eventId, type, data, metadata}) to one stream after checking the expected revision ` +
  `(any, no_stream, stream_exists or a 0-based revision) ` +
  `and event-id idempotency. Call it in autocommit, or at least as the first write of a transaction: ` +
  `a transaction id taken before the stream lock would break the agreement of stream order with global order, ` +
  `and the lock is held until the transaction ends. Returns the last revision and the global position of the last event.'`;

/**
 * The call; its result row is `AppendRow`. The events travel as one JSON array: parsing one
 * jsonb is cheaper than array literals of escaped JSON.
 */
export const APPEND_EVENTS = {
  name: 'event_store.append_events',
  text: `SELECT last_revision, transaction_id, global_seq, already_appended
           FROM event_store.append_events($1, $2, $3::jsonb)`,
};

export interface AppendRow {
  /** bigint and xid8 arrive as decimal strings */
  last_revision: string;
  transaction_id: string;
  global_seq: string;
  already_appended: boolean;
}

/**
 * One event in one statement, the common append, without the function's per-call cost (a
 * PL/pgSQL call in its own transaction, about a third of an append's server time, and the
 * JSON array to unpack). It takes the same stream lock before its INSERT, so an append through
 * the function still never meets an uncommitted row of this stream from someone else.
 *
 * Its snapshot is the statement's, taken before the lock: the current revision it reads may
 * be stale when another append to the stream committed meanwhile. Then the revision it inserts
 * is taken, because revisions are dense, and the unique key (stream_id, revision) refuses it;
 * the transaction id it gets with the INSERT is still larger than that of every append that
 * committed before. So it writes either the next event of the stream in the right order or
 * nothing: it returns no row when the expected revision does not match its snapshot, and
 * fails on events_stream_revision_key when it lost a race. In both cases, and on a colliding
 * event id, the caller asks APPEND_EVENTS, whose answer (a conflict, an earlier append, a
 * success) is the final one. Use it in autocommit only.
 *
 * Parameters: $1 stream id, $2 'any', 'no_stream', 'stream_exists' or 'exact', $3 the
 * expected revision for 'exact' (else NULL), $4 event id, $5 type, $6 data, $7 metadata.
 * Rows: `AppendOneRow`, none when the expected revision does not match.
 */
export const APPEND_ONE_EVENT = {
  name: 'event_store.append_one_event',
  text: `WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))),
              current AS (SELECT (SELECT e.revision FROM event_store.events e
                                   WHERE e.stream_id = $1::text
                                   ORDER BY e.revision DESC
                                   LIMIT 1) AS revision
                            FROM locked)
         INSERT INTO event_store.events AS e (stream_id, revision, event_id, type, data, metadata)
         SELECT $1::text, coalesce(c.revision, -1) + 1, $4::uuid, $5::text, $6::jsonb, $7::jsonb
           FROM current c
          WHERE CASE $2::text
                  WHEN 'any' THEN true
                  WHEN 'no_stream' THEN c.revision IS NULL
                  WHEN 'stream_exists' THEN c.revision IS NOT NULL
                  ELSE c.revision = $3::bigint
                END
         RETURNING e.revision, e.transaction_id, e.global_seq`,
};

/** bigint and xid8 arrive as decimal strings. */
export interface AppendOneRow {
  revision: string;
  transaction_id: string;
  global_seq: string;
}

/** The unique key that refuses an APPEND_ONE_EVENT which lost a race for its revision. */
export const STREAM_REVISION_UNIQUE_CONSTRAINT = 'events_stream_revision_key';

/** After a collision on events_event_id_key: was it this very append, done before? */
export const FIND_APPENDED = {
  name: 'event_store.find_appended',
  text: `SELECT last_revision, transaction_id, global_seq, already_appended
           FROM event_store.find_appended($1, $2::jsonb)`,
};

/** NULL positions when already_appended is false. */
export type FindAppendedRow =
  ({ already_appended: true } & AppendRow) | { already_appended: false; last_revision: null; transaction_id: null; global_seq: null };
