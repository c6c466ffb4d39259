/**
 * Streams.Read without subscription: a stream forwards or backwards from a revision (StreamNotFound when
 * it has no events), $all forwards from a position (the event at it included, as the client's
 * readAll "from position" test shows) or backwards from it (only events before it: a log position is
 * where a record starts, and a backward read returns the records that end before it), with an optional
 * filter; `count` counts the events returned.
 */
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import type { EventLog, StoredEvent } from './event-log.js';
import { eventFilterOf } from './filters.js';
import { positionOf, readEventResponse, streamNameOf, streamNotFoundResponse } from './messages.js';

type Options = ReadReq.Options;
const BACKWARDS = 1;

export function readResponses(log: EventLog, options: Options): ReadResp[] {
  const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
  const count = Number(BigInt.asUintN(53, BigInt(options.getCount() || '0')));
  const backwards = options.getReadDirection() === BACKWARDS;
  const streamOptions = options.getStream();
  if (streamOptions) {
    const streamId = streamNameOf(streamOptions.getStreamIdentifier());
    const stream = log.stream(streamId);
    if (stream.length === 0) return [streamNotFoundResponse(streamId)];
    return streamSlice(stream, streamOptions, backwards, count).map((event) => readEventResponse(event, structuredIds));
  }
  const filter = options.hasFilter() ? eventFilterOf(options.getFilter()) : undefined;
  const all = log.all;
  const from = allStart(log, options.getAll(), backwards);
  const step = backwards ? -1 : 1;
  const responses: ReadResp[] = [];
  for (let index = from; index >= 0 && index < all.length && responses.length < count; index += step) {
    if (!filter || filter.matches(all[index])) responses.push(readEventResponse(all[index], structuredIds));
  }
  return responses;
}

function streamSlice(
  stream: ReadonlyArray<StoredEvent>,
  options: ReadReq.Options.StreamOptions,
  backwards: boolean,
  count: number,
): StoredEvent[] {
  const last = stream.length - 1;
  if (!backwards) {
    const from = options.hasStart() ? 0 : options.hasEnd() ? stream.length : Number(options.getRevision());
    return stream.slice(from, from + count);
  }
  const from = options.hasEnd() ? last : options.hasStart() ? 0 : Math.min(Number(options.getRevision()), last);
  return stream.slice(Math.max(0, from + 1 - count), from + 1).reverse();
}

function allStart(log: EventLog, options: ReadReq.Options.AllOptions | undefined, backwards: boolean): number {
  const length = log.all.length;
  if (!options || options.hasStart()) return backwards ? -1 : 0;
  if (options.hasEnd()) return backwards ? length - 1 : length;
  const position = options.getPosition();
  if (!position) throw new Error('A $all read starts at start, end or a position');
  return backwards ? log.indexAfter(positionOf(position), true) - 1 : log.indexAfter(positionOf(position), true);
}
