import type { RecordedEvent } from '#event-store';
import { storeCheckpoint, type CheckpointOutcome } from '../checkpoint.js';
import { projectionContext, type Projection, type ProjectionContext } from '../projection.js';
import { inTransaction } from '../transaction.js';
import type { RunnerContext } from './runner-context.js';

/** `handle`, or the bulk path's `rebuild.handle`. */
export type BatchHandler = (batch: RecordedEvent[], context: ProjectionContext) => Promise<void>;

/** What became of a batch: the checkpoint's outcome, or a failure (everything was rolled back). */
export type BatchResult = CheckpointOutcome | { kind: 'failed'; error: unknown };

/** A handler's own error, told apart from the database failing under it. */
export class HandlerFailure extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'HandlerFailure';
  }
}

/** The bulk path when asked for and the projection has one, else `handle`. */
export function batchHandler(projection: Projection, bulk: boolean): BatchHandler {
  const path = bulk ? projection.rebuild : undefined;
  return path ? (batch, context) => path.handle(batch, context) : (batch, context) => projection.handle(batch, context);
}

/**
 * One transaction: the checkpoint's compare-and-set from `expected` to `next` first (it locks
 * the row), then the handler, then COMMIT. Exactly-once: the events and the checkpoint move
 * together or not at all.
 */
export async function applyBatch(
  runner: RunnerContext,
  expected: string | null,
  next: string,
  events: RecordedEvent[],
  handler: BatchHandler,
): Promise<BatchResult> {
  const { projection, version } = runner;
  try {
    return await inTransaction(runner.deps.pool, async (client) => {
      const outcome = await storeCheckpoint(client, {
        name: projection.name,
        version,
        expected,
        next,
        eventsSeen: events.length,
        eventsApplied: events.length,
        lastRecordedAt: events.at(-1)?.recordedAt ?? null,
      });
      // Not stored: nothing was written, so the (empty) transaction may just as well commit.
      if (outcome.kind !== 'stored' || events.length === 0) return outcome;
      try {
        await handler(events, projectionContext(projection, version, client));
      } catch (error) {
        throw new HandlerFailure(error);
      }
      return outcome;
    });
  } catch (error) {
    return { kind: 'failed', error };
  }
}
