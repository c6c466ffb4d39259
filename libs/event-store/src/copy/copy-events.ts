import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
} from '../port/event-store.js';
import type { CopyCheckpoints } from './copy-checkpoints.js';
import { CopyConflictError } from './copy-errors.js';

export interface CopyEventsOptions {
  source: EventStore;
  target: EventStore;
  /** where the copy onto this target keeps its position (the source's database) */
  checkpoints: CopyCheckpoints;
  /** the streams to copy, by prefix (the ticket streams: `ticket-`) */
  streamPrefixes: readonly string[];
  /** source events read per batch; the checkpoint is saved after each. Default 1000. */
  batchSize?: number;
  /** stops after the batch in flight; the next run continues from the checkpoint */
  signal?: AbortSignal;
  /** after each batch, once its checkpoint is saved */
  onProgress?: (progress: CopyProgress) => void;
}

export interface CopyProgress {
  /** appended to the target by this run */
  eventsCopied: number;
  /** found already in the target by this run (an earlier run's append whose checkpoint was not saved) */
  eventsSkipped: number;
  /** every event up to `position` the target holds, earlier runs included */
  eventsDone: number;
  /** streams this run has written to or checked */
  streams: number;
  /** the source position reached */
  position: string | undefined;
}

export interface CopySummary extends CopyProgress {
  /** the checkpoint this run started after (undefined: from the beginning) */
  resumedFrom: string | undefined;
  /** events the checkpoint counted when this run started */
  eventsBefore: number;
  /** the signal stopped the copy before it reached the end of the source */
  stopped: boolean;
  seconds: number;
}

export const DEFAULT_COPY_BATCH_SIZE = 1000;

/**
 * Copies the source's streams (those starting with one of `streamPrefixes`) onto the target,
 * in the source's all-stream order, keeping each event's id, type, data and metadata and its
 * revision in its stream: every append states the exact revision it expects (`no_stream` for
 * revision 0, else the revision before), so the target can never end up with an event at
 * another revision than in the source. Consecutive events of one stream in the all-stream go
 * in one append; other than that the target's all-stream order is the source's.
 *
 * Resumable: after each batch the source position reached is saved in `checkpoints`, and a
 * run starts after the saved one. Idempotent: when a crash came between an append and its
 * checkpoint, the re-run finds the target stream already holding the revisions it is about
 * to append; each of them must hold the source's event id (else `CopyConflictError`, nothing
 * written) and is counted as skipped. Writes to the target only through the port.
 *
 * Nobody else may write the copied streams on the target while it runs; the source may take
 * new events (the next run copies them).
 */
export async function copyEvents(options: CopyEventsOptions): Promise<CopySummary> {
  const { source, target, checkpoints, signal, onProgress } = options;
  const batchSize = options.batchSize ?? DEFAULT_COPY_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  if (options.streamPrefixes.length === 0) throw new RangeError('copyEvents needs at least one stream prefix');
  const filter = { streamPrefixes: [...options.streamPrefixes] };
  const startedAt = performance.now();
  const checkpoint = await checkpoints.load();
  const streams = new Set<string>();
  const progress: CopyProgress = {
    eventsCopied: 0,
    eventsSkipped: 0,
    eventsDone: checkpoint?.eventsCopied ?? 0,
    streams: 0,
    position: checkpoint?.position,
  };
  let reachedEnd = false;
  while (!signal?.aborted) {
    const page = await source.readAll({ after: progress.position, filter, maxCount: batchSize });
    for (const run of streamRuns(page.events)) {
      const outcome = await copyRun(target, run);
      progress.eventsCopied += outcome.appended;
      progress.eventsSkipped += outcome.skipped;
      streams.add(run[0].streamId);
    }
    progress.streams = streams.size;
    progress.eventsDone += page.events.length;
    if (page.nextAfter !== undefined && page.nextAfter !== progress.position) {
      await checkpoints.save(page.nextAfter, progress.eventsDone);
      progress.position = page.nextAfter;
    }
    onProgress?.({ ...progress });
    if (page.isEnd) {
      reachedEnd = true;
      break;
    }
  }
  return {
    ...progress,
    resumedFrom: checkpoint?.position,
    eventsBefore: checkpoint?.eventsCopied ?? 0,
    stopped: !reachedEnd,
    seconds: (performance.now() - startedAt) / 1000,
  };
}

/** The page cut into runs of consecutive events of one stream, in page order. */
export function streamRuns(events: readonly RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const event of events) {
    const last = runs.at(-1);
    const previous = last?.at(-1);
    if (last && previous && previous.streamId === event.streamId) {
      if (event.revision !== previous.revision + 1) {
        throw new Error(`source stream ${event.streamId}: revision ${event.revision} follows ${previous.revision} in the all-stream`);
      }
      last.push(event);
    } else {
      runs.push([event]);
    }
  }
  return runs;
}

interface RunOutcome {
  appended: number;
  skipped: number;
}

function toAppend(events: readonly RecordedEvent[]): EventToAppend[] {
  return events.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata }));
}

/** One run: appended at its exact revisions, or found already there (an earlier run's append). */
async function copyRun(target: EventStore, run: RecordedEvent[]): Promise<RunOutcome> {
  const first = run[0];
  const last = run[run.length - 1];
  try {
    const result = await target.append(first.streamId, toAppend(run), {
      expectedRevision: first.revision === 0 ? 'no_stream' : first.revision - 1,
    });
    if (!result.alreadyAppended) return { appended: run.length, skipped: 0 };
    // The adapter recognised the event ids; the revisions are checked below unless they agree.
    if (result.nextExpectedRevision === last.revision) return { appended: 0, skipped: run.length };
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError) && !(error instanceof DuplicateEventIdError)) throw error;
  }
  return reconcileRun(target, run);
}

/**
 * The target's stream did not take the run at its revisions: it holds some of them already.
 * Those must be the source's events; the ones after them are appended.
 */
async function reconcileRun(target: EventStore, run: RecordedEvent[]): Promise<RunOutcome> {
  const first = run[0];
  const held = await target.readStream(first.streamId, { fromRevision: first.revision, maxCount: run.length });
  for (const [index, event] of held.entries()) {
    const expected = run[index];
    if (event.revision !== expected.revision || event.eventId !== expected.eventId) {
      throw CopyConflictError.mismatch(first.streamId, expected.revision, expected.eventId, event.eventId);
    }
  }
  if (held.length === 0) {
    const [lastHeld] = await target.readStream(first.streamId, { direction: 'backwards', maxCount: 1 });
    if (first.revision > 0 && (lastHeld === undefined || lastHeld.revision < first.revision - 1)) {
      throw CopyConflictError.behind(first.streamId, first.revision, first.eventId, lastHeld?.revision);
    }
    throw CopyConflictError.elsewhere(first.streamId, first.revision, first.eventId);
  }
  const rest = run.slice(held.length);
  if (rest.length === 0) return { appended: 0, skipped: run.length };
  try {
    await target.append(first.streamId, toAppend(rest), { expectedRevision: rest[0].revision - 1 });
  } catch (error) {
    if (error instanceof DuplicateEventIdError) throw CopyConflictError.elsewhere(first.streamId, rest[0].revision, rest[0].eventId);
    throw error;
  }
  return { appended: rest.length, skipped: held.length };
}
