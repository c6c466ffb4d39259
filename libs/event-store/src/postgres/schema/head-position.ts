/** The last event that all-stream readers may see now (same visibility rule as READ_ALL). */
export const HEAD_POSITION = {
  name: 'event_store.head_position',
  text: `SELECT e.transaction_id, e.global_seq
           FROM event_store.events e
          WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY e.transaction_id DESC, e.global_seq DESC
          LIMIT 1`,
};

export interface HeadPositionRow {
  transaction_id: string;
  global_seq: string;
}
