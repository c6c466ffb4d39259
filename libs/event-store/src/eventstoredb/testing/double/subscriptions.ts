/**
 * Streams.Read with subscription options, after EventStoreDB's subscription enumerators (23.10 and
 * later): a confirmation; a catch-up in pages of the read batch (32) or the filter's search window;
 * `caughtUp`; then live events. A start position or revision is exclusive: the event at it is not sent
 * again (the client's subscribeToAll "from position" test counts 3 + 4 events after a marker). A filtered
 * $all subscription also sends a checkpoint every `checkpointInterval` considered events, one when
 * catch-up reaches the end of the log (just before `caughtUp`), and (0, 0) when it started from the start
 * and considered nothing (TFPos.FirstRecordOfTf).
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import type { EventLog, StoredEvent } from './event-log.js';
import { DEFAULT_READ_BATCH_SIZE, eventFilterOf, type EventFilter } from './filters.js';
import { caughtUpResponse, checkpointResponse, confirmationResponse, positionOf, readEventResponse, streamNameOf } from './messages.js';
import { FIRST_RECORD, type LogPosition } from './positions.js';

export interface ResponseSink {
  /** Resolves once the message is handed to the transport (waits for drain under backpressure). */
  send(response: ReadResp): Promise<void>;
  readonly closed: boolean;
  /** Resolves when the call ends (client cancel, server stop). */
  readonly whenClosed: Promise<void>;
}

interface Source {
  /** Index in `events()` of the first event to send. */
  readonly from: number;
  readonly events: () => ReadonlyArray<StoredEvent>;
  readonly isFor: (event: StoredEvent) => boolean;
  /** From the end: the real server goes live at once, so no end-of-catch-up checkpoint. */
  readonly startsLive: boolean;
  readonly filter: EventFilter | undefined;
  readonly checkpoint: LogPosition | undefined;
}

export async function runSubscription(log: EventLog, options: ReadReq.Options, sink: ResponseSink): Promise<void> {
  const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
  const source = options.hasStream() ? streamSource(log, options) : allSource(log, options);
  const sendEvent = (event: StoredEvent) => sink.send(readEventResponse(event, structuredIds));
  const live: StoredEvent[] = [];
  let wake: () => void = () => undefined;
  let unsubscribe: () => void = () => undefined;
  try {
    await sink.send(confirmationResponse(randomUUID()));
    const { filter } = source;
    let checkpoint = source.checkpoint;
    let considered = 0;
    let index = source.from;
    for (;;) {
      const events = source.events();
      const page = events.slice(index, index + (filter?.searchWindow ?? DEFAULT_READ_BATCH_SIZE));
      for (const event of page) if (!filter || filter.matches(event)) await sendEvent(event);
      if (sink.closed) return;
      index += page.length;
      considered += page.length;
      checkpoint = page.at(-1)?.position ?? checkpoint;
      if (index >= source.events().length) break;
      if (filter && considered >= filter.checkpointInterval) {
        considered %= filter.checkpointInterval;
        await sink.send(checkpointResponse(checkpoint ?? FIRST_RECORD));
      }
      await nextTurn();
    }
    // Registered in the same turn as the end-of-log check, so no append falls between catch-up and live.
    unsubscribe = log.onAppended((event) => {
      if (source.isFor(event)) live.push(event);
      wake();
    });
    if (filter && !source.startsLive) await sink.send(checkpointResponse(checkpoint ?? FIRST_RECORD));
    await sink.send(caughtUpResponse());
    considered = 0;
    while (!sink.closed) {
      const event = live.shift();
      if (!event) {
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), sink.whenClosed]);
        continue;
      }
      if (!filter || filter.matches(event)) await sendEvent(event);
      considered += 1;
      if (filter && considered >= filter.checkpointInterval) {
        considered = 0;
        await sink.send(checkpointResponse(event.position));
      }
    }
  } finally {
    unsubscribe();
  }
}

function allSource(log: EventLog, options: ReadReq.Options): Source {
  const all = options.getAll();
  const filter = options.hasFilter() ? eventFilterOf(options.getFilter()) : undefined;
  const common = { events: () => log.all, isFor: () => true, filter };
  const position = all?.getPosition();
  if (position) {
    const checkpoint = positionOf(position);
    return { ...common, from: log.indexAfter(checkpoint, false), startsLive: false, checkpoint };
  }
  if (all?.hasEnd()) return { ...common, from: log.all.length, startsLive: true, checkpoint: log.all.at(-1)?.position };
  return { ...common, from: 0, startsLive: false, checkpoint: undefined };
}

function streamSource(log: EventLog, options: ReadReq.Options): Source {
  const streamOptions = options.getStream();
  const streamId = streamNameOf(streamOptions?.getStreamIdentifier());
  const after = streamOptions?.hasEnd()
    ? log.lastRevision(streamId)
    : streamOptions?.hasStart()
      ? -1n
      : BigInt(streamOptions?.getRevision() ?? '-1');
  return {
    from: Number(after + 1n),
    events: () => log.stream(streamId),
    isFor: (event) => event.streamId === streamId && event.revision > after,
    startsLive: streamOptions?.hasEnd() ?? false,
    filter: undefined,
    checkpoint: undefined,
  };
}
