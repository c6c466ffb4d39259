import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  type CurrentRevision,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError, type ExpectedRevision } from '../port/event-store.js';

/**
 * gRPC status codes (grpc/doc/statuscodes.md) that mean "the server is not there (now)", whether or
 * not the client wrapped them: 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED. Numbers rather than an import of
 * @grpc/grpc-js, which is the client's dependency, not ours.
 */
const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([14, 4]);

/**
 * The server went away, did not answer in time, or is not the leader. The client wraps most of
 * these in its own classes, but its first call after a connection drops can fail with a plain
 * gRPC ServiceError (code 14), so the code is checked too.
 */
export function isUnavailable(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError
  ) {
    return true;
  }
  if (error instanceof CancelledError) return !isClientCancellation(error);
  return error instanceof Error && 'code' in error && typeof error.code === 'number' && UNAVAILABLE_CODES.has(error.code);
}

function isClientCancellation(error: Error): boolean {
  return error.message.includes('Cancelled on client');
}

/** Maps what the client throws to the port's errors; anything else passes through unchanged. */
export function toPortError(error: unknown, operation: string, append?: { streamId: string; expected: ExpectedRevision }): unknown {
  if (append && error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(append.streamId, append.expected, toActual(error.actualVersion));
  }
  if (isUnavailable(error)) return new EventStoreUnavailableError(operation, { cause: error });
  return error;
}

function toActual(current: CurrentRevision): number | 'no_stream' {
  return current === 'no_stream' ? 'no_stream' : Number(current);
}
