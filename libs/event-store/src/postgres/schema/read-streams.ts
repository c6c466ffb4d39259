import { EVENT_COLUMNS } from './event-row.js';

/*
 * The per-stream reads of a rebuild (port: PerStreamReads), bounded by a head position fixed
 * beforehand: every event at or before it is committed and visible, so no snapshot rule is
 * needed and the set read never changes. Stream ids are COLLATE "C", so a prefix is the range
 * [prefix, prefixEnd) of the unique index (stream_id, revision), scanned in index order.
 */

/**
 * A page of whole streams of a prefix. $1 the stream id to read after ('' for the first),
 * $2 the prefix, $3 its end (`streamPrefixEnd`), $4, $5 the head (inclusive), $6 rows at most.
 * Rows: `EventRow`, by stream id then revision.
 */
export const READ_STREAMS = {
  name: 'event_store.read_streams',
  text: `SELECT ${EVENT_COLUMNS}
           FROM event_store.events e
          WHERE e.stream_id > $1::text AND e.stream_id >= $2::text AND e.stream_id < $3::text
            AND (e.transaction_id, e.global_seq) <= ($4::xid8, $5::bigint)
          ORDER BY e.stream_id, e.revision
          LIMIT $6::bigint`,
};

/** The rest of one stream after revision $2, up to the head $3, $4: a stream longer than a page. Rows: `EventRow`. */
export const READ_STREAM_REST = {
  name: 'event_store.read_stream_rest',
  text: `SELECT ${EVENT_COLUMNS}
           FROM event_store.events e
          WHERE e.stream_id = $1::text AND e.revision > $2::bigint
            AND (e.transaction_id, e.global_seq) <= ($3::xid8, $4::bigint)
          ORDER BY e.revision`,
};

/**
 * The events of the streams outside a prefix, in all-stream order: after $1, $2 up to the
 * head $3, $4 (inclusive), outside [$5, $6), of the types $7 (NULL: any), $8 rows at most.
 * Rows: `EventRow`.
 */
export const READ_OUTSIDE = {
  name: 'event_store.read_outside',
  text: `SELECT ${EVENT_COLUMNS}
           FROM event_store.events e
          WHERE (e.transaction_id, e.global_seq) > ($1::xid8, $2::bigint)
            AND (e.transaction_id, e.global_seq) <= ($3::xid8, $4::bigint)
            AND NOT (e.stream_id >= $5::text AND e.stream_id < $6::text)
            AND ($7::text[] IS NULL OR e.type = ANY ($7::text[]))
          ORDER BY e.transaction_id, e.global_seq
          LIMIT $8::bigint`,
};

/**
 * The least string above every string that starts with `prefix`, in byte (= code point) order:
 * the prefix with its last code point raised by one.
 */
export function streamPrefixEnd(prefix: string): string {
  const points = [...prefix];
  const last = points.pop();
  if (last === undefined) throw new RangeError('a stream prefix must not be empty');
  const code = last.codePointAt(0) ?? 0;
  if (code >= 0x10ffff || (code >= 0xd7ff && code < 0xe000)) throw new RangeError(`a stream prefix cannot end in U+${code.toString(16)}`);
  return points.join('') + String.fromCodePoint(code + 1);
}
