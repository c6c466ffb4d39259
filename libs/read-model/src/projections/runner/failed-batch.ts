import type pg from 'pg';
import type { RecordedEvent } from '#event-store';
import { backoffMs } from '../backoff.js';
import { errorDetails } from '../log.js';
import { projectionContext } from '../projection.js';
import { HandlerFailure, type BatchHandler } from './apply-batch.js';
import type { RunnerContext } from './runner-context.js';

/** The event a handler fails on, and the error it threw. */
export interface FailingEvent<E = RecordedEvent> {
  event: E;
  error: unknown;
}

/**
 * Applies the events one at a time, in order, and stops at the first that throws. One at a
 * time and in order, because a handler's rows for an event may depend on those before it.
 */
export async function firstFailingEvent<E>(events: readonly E[], apply: (event: E) => Promise<void>): Promise<FailingEvent<E> | undefined> {
  for (const event of events) {
    try {
      await apply(event);
    } catch (error) {
      return { event, error };
    }
  }
  return undefined;
}

/**
 * Which event of a failed batch fails the handler: the events are applied one by one in a
 * transaction that is always rolled back, so the log can name the event's position while
 * the tables and the checkpoint stay as they were.
 */
async function findFailingEvent(runner: RunnerContext, events: RecordedEvent[], handler: BatchHandler): Promise<FailingEvent | undefined> {
  let client: pg.PoolClient | undefined;
  let broken: Error | undefined;
  try {
    // Inside the try: a connection that cannot be had only costs the diagnosis, never the runner.
    client = await runner.deps.pool.connect();
    await client.query('BEGIN');
    try {
      const context = projectionContext(runner.projection, runner.version, client);
      return await firstFailingEvent(events, (event) => handler([event], context));
    } finally {
      try {
        await client.query('ROLLBACK');
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error));
      }
    }
  } catch (error) {
    runner.log('warn', 'looking for the failing event of a batch failed', { ...runner.fields, ...errorDetails(error) });
    return undefined;
  } finally {
    client?.release(broken);
  }
}

/**
 * Logs a failed batch, which was rolled back and will be retried. When the handler threw, the
 * line names the failing event (position, stream, type); in a batch of several events it is
 * looked for once per batch, not on every retry.
 */
export class FailedBatchLog {
  /** Where the last batch whose failing event was looked for starts (the position it was read after). */
  private diagnosedAfter: string | null | undefined;

  constructor(private readonly runner: RunnerContext) {}

  async report(error: unknown, expected: string | null, events: RecordedEvent[], handler: BatchHandler, failures: number): Promise<void> {
    const { log, fields, settings } = this.runner;
    const retryInMs = backoffMs(failures, settings.retry);
    const batch = {
      batchAfter: expected,
      batchFirstPosition: events[0]?.position,
      batchLastPosition: events.at(-1)?.position,
      batchEvents: events.length,
    };
    if (!(error instanceof HandlerFailure)) {
      log('error', 'a projection batch failed; it was rolled back and will be retried', {
        ...fields,
        ...batch,
        attempt: failures + 1,
        retryInMs,
        ...errorDetails(error),
      });
      return;
    }
    let culprit: FailingEvent | undefined;
    if (events.length === 1) culprit = { event: events[0], error: error.failure };
    else if (this.diagnosedAfter !== expected) {
      this.diagnosedAfter = expected;
      culprit = await findFailingEvent(this.runner, events, handler);
    }
    log('error', 'the projection handler failed; the batch was rolled back and will be retried', {
      ...fields,
      ...batch,
      ...(culprit
        ? {
            eventPosition: culprit.event.position,
            streamId: culprit.event.streamId,
            revision: culprit.event.revision,
            eventType: culprit.event.type,
          }
        : {}),
      attempt: failures + 1,
      retryInMs,
      ...errorDetails(culprit?.error ?? error.failure),
    });
  }
}
