import type pg from 'pg';

/**
 * How many events of these types the PostgreSQL event store shows all-stream readers now:
 * the 100 % of `cli rebuild`'s progress bar. The port has no count (EventStoreDB would answer
 * it from its own statistics), so this reads the PostgreSQL adapter's table directly, with
 * the adapter's own visibility rule. One sequential scan: about a second per few million events.
 */
export const COUNT_VISIBLE_EVENTS = {
  name: 'cli.rebuild.count_visible_events',
  text: `SELECT count(*)::bigint AS events
           FROM event_store.events e
          WHERE e.type = ANY ($1::text[])
            AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())`,
};

export async function countVisibleEvents(pool: pg.Pool, eventTypes: readonly string[]): Promise<number> {
  const { rows } = await pool.query<{ events: string }>({ ...COUNT_VISIBLE_EVENTS, values: [[...eventTypes]] });
  return Number(rows[0].events);
}
