import type { JsonObject } from '../../port/event-store.js';
import { RECORDED_AT_MS } from './event-row.js';

/*
 * A page of the all-stream.
 *
 * Only rows of transactions below the snapshot's xmin are read: every transaction below it
 * has ended, so no event can later appear before the page's end (DESIGN.md §4). The price:
 * xmin is server-wide, so any open transaction, in any database of the server, holds every
 * all-stream reader back until it ends; keep transactions short (projection batches too).
 * Paging is by the row comparison on (transaction_id, global_seq), the order itself; paging
 * by global_seq alone would skip an event whose transaction took its sequence value early
 * and committed late.
 *
 * The position's two parts come as they are stored and are joined in TypeScript: casting
 * and concatenating them in SQL costs the server more than the client's string join.
 *
 * Parameters: $1, $2 the position to read after ('0', '0' for the start), $3 rows to scan.
 */
const KEYSET = `FROM event_store.events e
                  WHERE (e.transaction_id, e.global_seq) > ($1::xid8, $2::bigint)
                    AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                  ORDER BY e.transaction_id, e.global_seq
                  LIMIT $3::bigint`;

/** The next $3 visible events; rows: `ReadAllRow`. */
export const READ_ALL = {
  name: 'event_store.read_all',
  text: `SELECT e.transaction_id, e.global_seq, e.stream_id, e.revision, e.event_id, e.type, e.data, e.metadata,
                ${RECORDED_AT_MS} AS recorded_at_ms
           ${KEYSET}`,
};

/**
 * READ_ALL with a filter: $4 LIKE patterns of stream prefixes (NULL: any stream), $5 event
 * types (NULL: any type). The filter does not shorten the scan: a page covers the next $3
 * visible rows, and rows the filter drops come back with `keep = false` and no payload, so
 * the caller can still move its position past them (`nextAfter`) and one page never scans
 * more than $3 rows. Rows: `ReadAllFilteredRow`.
 */
export const READ_ALL_FILTERED = {
  name: 'event_store.read_all_filtered',
  text: `SELECT page.transaction_id, page.global_seq, page.stream_id, page.revision, page.event_id, page.type,
                CASE WHEN page.keep THEN page.data END AS data,
                CASE WHEN page.keep THEN page.metadata END AS metadata,
                page.recorded_at_ms, page.keep
           FROM (SELECT e.transaction_id, e.global_seq, e.stream_id, e.revision, e.event_id, e.type, e.data, e.metadata,
                        ${RECORDED_AT_MS} AS recorded_at_ms,
                        ($4::text[] IS NULL OR e.stream_id LIKE ANY ($4::text[]))
                          AND ($5::text[] IS NULL OR e.type = ANY ($5::text[])) AS keep
                   ${KEYSET}) page
          ORDER BY page.transaction_id, page.global_seq`,
};

/** A row of READ_ALL: xid8, bigint and uuid arrive as strings. */
export type ReadAllRow = [
  transactionId: string,
  globalSeq: string,
  streamId: string,
  revision: string,
  eventId: string,
  type: string,
  data: JsonObject,
  metadata: JsonObject,
  recordedAtMs: number,
];

/** A row of READ_ALL_FILTERED: the payload is NULL when the filter dropped the event, then whether it kept it. */
export type ReadAllFilteredRow = [
  transactionId: string,
  globalSeq: string,
  streamId: string,
  revision: string,
  eventId: string,
  type: string,
  data: JsonObject | null,
  metadata: JsonObject | null,
  recordedAtMs: number,
  keep: boolean,
];

/** LIKE treats `%`, `_` and the escape character `\` specially; a prefix must match literally. */
export function streamPrefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
