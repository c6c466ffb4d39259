import type pg from 'pg';
import { bulkLoad, type BulkAppend } from '#event-store/postgres/bulk-load.js';

/** Events per transaction of the bulk loader: many tickets per transaction, one batch in flight while the next is gathered. */
export const EVENTS_PER_BATCH = 10_000;

/**
 * The in-process batched path of `import` and `simulate`: appends decided here (decide/evolve,
 * encoded as the API encodes them) go into the store many streams per transaction, no HTTP. A
 * dry run still draws every append, so every command is decided, and writes nothing.
 */
export async function writeInProcess(
  pool: pg.Pool,
  appends: Iterable<BulkAppend> | AsyncIterable<BulkAppend>,
  options: { dryRun: boolean },
): Promise<void> {
  if (!options.dryRun) {
    await bulkLoad(pool, appends, { eventsPerBatch: EVENTS_PER_BATCH });
    return;
  }
  for await (const append of appends) void append;
}
