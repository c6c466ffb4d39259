import pg from 'pg';
import { DuplicateEventIdError, WrongExpectedRevisionError, type ExpectedRevision } from '../port/event-store.js';
import {
  DUPLICATE_EVENT_ID_SQLSTATE,
  EVENT_ID_UNIQUE_CONSTRAINT,
  STREAM_REVISION_UNIQUE_CONSTRAINT,
  WRONG_EXPECTED_REVISION_SQLSTATE,
} from './schema/append.js';

const UNIQUE_VIOLATION = '23505';
const EVENT_ID_IN_DETAIL = /\(event_id\)=\(([^)]+)\)/;

/** Turns the append functions' own failures into the port's errors; anything else is returned unchanged. */
export function toAppendError(error: unknown, streamId: string, expected: ExpectedRevision, firstEventId: string): unknown {
  if (!(error instanceof pg.DatabaseError)) return error;
  switch (error.code) {
    case WRONG_EXPECTED_REVISION_SQLSTATE:
      return new WrongExpectedRevisionError(streamId, expected, error.detail === 'no_stream' ? 'no_stream' : Number(error.detail));
    case DUPLICATE_EVENT_ID_SQLSTATE:
      return new DuplicateEventIdError(streamId, error.detail ?? firstEventId);
    default:
      return error;
  }
}

/** The append inserted an event id that is already stored: a retry of an earlier append, or a duplicate. */
export function isEventIdCollision(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION && error.constraint === EVENT_ID_UNIQUE_CONSTRAINT;
}

/** A one-statement append found its revision taken: another append to the stream committed after its snapshot. */
export function isRevisionTaken(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION && error.constraint === STREAM_REVISION_UNIQUE_CONSTRAINT;
}

/** The id named in a unique violation's DETAIL, `Key (event_id)=(...) already exists.` */
export function collidingEventId(error: pg.DatabaseError, fallback: string): string {
  return EVENT_ID_IN_DETAIL.exec(error.detail ?? '')?.[1] ?? fallback;
}
