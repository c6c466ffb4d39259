import type pg from 'pg';

/**
 * How many events of streams starting with a prefix the PostgreSQL event store shows all-stream
 * readers now: the 100 % of `cli copy-events`' progress bar. The port has no count, so like
 * rebuild's count this reads the adapter's table with its visibility rule. One sequential scan.
 */
export const COUNT_VISIBLE_STREAM_EVENTS = {
  name: 'cli.copy_events.count_visible_stream_events',
  text: `SELECT count(*)::bigint AS events
           FROM event_store.events e
          WHERE starts_with(e.stream_id, $1)
            AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())`,
};

export async function countVisibleStreamEvents(pool: pg.Pool, streamPrefix: string): Promise<number> {
  const { rows } = await pool.query<{ events: string }>({ ...COUNT_VISIBLE_STREAM_EVENTS, values: [streamPrefix] });
  return Number(rows[0].events);
}
