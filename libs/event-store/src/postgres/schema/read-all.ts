import type { JsonObject } from '../../port/event-store.js';
import { EVENT_COLUMNS } from './event-row.js';

/**
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
 * The filter does not shorten the scan: a page covers the next $3 visible rows, and rows the
 * filter drops come back with `keep = false` and no payload, so the caller can still move its
 * position past them (`nextAfter`) and one page never scans more than $3 rows.
 *
 * Parameters: $1, $2 the position to read after ('0', '0' for the start), $3 rows to scan,
 * $4 LIKE patterns of stream prefixes (NULL: any stream), $5 event types (NULL: any type).
 * Rows: `ReadAllRow`.
 */
export const READ_ALL = {
  name: 'event_store.read_all',
  text: `SELECT page.position, page.stream_id, page.revision, page.event_id, page.type,
                CASE WHEN page.keep THEN page.data END AS data,
                CASE WHEN page.keep THEN page.metadata END AS metadata,
                page.recorded_at_ms, page.keep
           FROM (SELECT e.transaction_id, e.global_seq, ${EVENT_COLUMNS},
                        ($4::text[] IS NULL OR e.stream_id LIKE ANY ($4::text[]))
                          AND ($5::text[] IS NULL OR e.type = ANY ($5::text[])) AS keep
                   FROM event_store.events e
                  WHERE (e.transaction_id, e.global_seq) > ($1::xid8, $2::bigint)
                    AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                  ORDER BY e.transaction_id, e.global_seq
                  LIMIT $3::bigint) page
          ORDER BY page.transaction_id, page.global_seq`,
};

/** An EventRow whose payload is NULL when the filter dropped the event, then whether it kept it. */
export type ReadAllRow = [
  position: string,
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
