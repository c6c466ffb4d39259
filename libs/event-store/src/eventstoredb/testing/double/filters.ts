/**
 * Server-side $all filters as EventStoreDB reads them from ReadReq.Options.FilterOptions: on the
 * stream name or the event type, a regular expression when one is given (matched anywhere, as .NET's
 * Regex.IsMatch does) else a list of prefixes; the search window (`max`, or the server's read batch of
 * 32 when the client sends `count`) times the checkpoint interval multiplier sets how many considered
 * events lie between two checkpoints of a subscription.
 */
import type { ReadReq } from '@eventstore/db-client/generated/streams_pb.js';
import type { StoredEvent } from './event-log.js';

export const DEFAULT_READ_BATCH_SIZE = 32;

export interface EventFilter {
  matches(event: StoredEvent): boolean;
  /** Events considered per page of a filtered read. */
  readonly searchWindow: number;
  /** Considered events between two checkpoints (subscriptions only). */
  readonly checkpointInterval: number;
}

type FilterOptions = ReadReq.Options.FilterOptions;
type Expression = ReadReq.Options.FilterOptions.Expression;

export function eventFilterOf(options: FilterOptions | undefined): EventFilter | undefined {
  if (!options) return undefined;
  const onStreamName = options.hasStreamIdentifier();
  const expression = onStreamName ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) throw new Error('A filter names a stream-name or an event-type expression');
  const test = testOf(expression);
  const window = options.hasMax() ? options.getMax() : DEFAULT_READ_BATCH_SIZE;
  return {
    matches: (event) => test(onStreamName ? event.streamId : event.type),
    searchWindow: window,
    checkpointInterval: Math.max(1, options.getCheckpointintervalmultiplier()) * window,
  };
}

function testOf(expression: Expression): (value: string) => boolean {
  const regex = expression.getRegex();
  if (regex) {
    const pattern = new RegExp(regex);
    return (value) => pattern.test(value);
  }
  const prefixes = expression.getPrefixList();
  return (value) => prefixes.some((prefix) => value.startsWith(prefix));
}
