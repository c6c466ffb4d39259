import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import { DuplicateEventIdError, EventStoreUnavailableError, WrongExpectedRevisionError } from '#event-store';

/** EventStoreDB's client reconnects on the next call; a leader election or restart takes seconds. */
const EVENT_STORE_RETRY_AFTER_SECONDS = 2;
import { DomainError, type DomainErrorKind } from '#ticketing';
import { ApiError, RequestValidationError, type ApiErrorKind, type FieldError } from '#platform';

/** The body of every error answer. */
export interface HttpErrorBody {
  statusCode: number;
  /** Stable, machine-readable: `TICKET_ALREADY_CLAIMED`, `VALIDATION_FAILED`, `UNAUTHENTICATED` … */
  code: string;
  /** A sentence for people. */
  message: string;
  details?: Record<string, unknown>;
  /** Only for VALIDATION_FAILED: each invalid field with its messages. */
  errors?: FieldError[];
  correlationId?: string;
}

export interface HttpError {
  status: number;
  body: HttpErrorBody;
  /** Headers the answer needs: `Retry-After` on 429 and 503. */
  headers: Record<string, string>;
  /** A fault of ours, not of the request: log it with its stack. */
  unexpected: boolean;
}

const STATUS_BY_KIND: Record<DomainErrorKind | ApiErrorKind, number> = {
  bad_request: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  rule: HttpStatus.UNPROCESSABLE_ENTITY,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

/**
 * A 429 or 503 says when to come back: `details.retryAfterSeconds`, at least one second; a 409
 * only when its details say so (a command of the same Idempotency-Key still running).
 */
function retryAfter(status: number, details: Record<string, unknown> | undefined): Record<string, string> {
  const conflictToRetry = status === HttpStatus.CONFLICT && typeof details?.retryAfterSeconds === 'number';
  if (status !== HttpStatus.TOO_MANY_REQUESTS && status !== HttpStatus.SERVICE_UNAVAILABLE && !conflictToRetry) return {};
  const seconds = typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : 1;
  return { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) };
}

function answer(
  status: number,
  code: string,
  message: string,
  correlationId: string | undefined,
  extra: Partial<HttpErrorBody> = {},
): HttpError {
  const body: HttpErrorBody = { statusCode: status, code, message, ...extra };
  if (extra.details && Object.keys(extra.details).length === 0) delete body.details;
  if (correlationId !== undefined) body.correlationId = correlationId;
  return { status, body, headers: retryAfter(status, extra.details), unexpected: status === HttpStatus.INTERNAL_SERVER_ERROR };
}

function codeOfStatus(status: number): string {
  return (STATUS_CODES[status] ?? 'ERROR')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** body-parser's errors reach us as HttpExceptions with the original error as the cause. */
function fromBodyParser(error: HttpException, correlationId: string | undefined): HttpError | undefined {
  const cause = error.cause;
  if (!isRecord(cause) || typeof cause.type !== 'string') return undefined;
  if (cause.type === 'entity.too.large') {
    const limit = typeof cause.limit === 'number' ? cause.limit : undefined;
    return answer(
      HttpStatus.PAYLOAD_TOO_LARGE,
      'PAYLOAD_TOO_LARGE',
      `The request body is larger than the limit${limit === undefined ? '' : ` of ${limit} bytes`}.`,
      correlationId,
      {
        details: limit === undefined ? {} : { limitBytes: limit },
      },
    );
  }
  if (cause.type === 'entity.parse.failed') {
    return answer(HttpStatus.BAD_REQUEST, 'INVALID_JSON', 'The request body is not valid JSON.', correlationId);
  }
  return undefined;
}

function fromHttpException(error: HttpException, correlationId: string | undefined): HttpError {
  const parsed = fromBodyParser(error, correlationId);
  if (parsed) return parsed;
  const status = error.getStatus();
  const response = error.getResponse();
  if (!isRecord(response))
    return answer(status, codeOfStatus(status), typeof response === 'string' ? response : error.message, correlationId);
  const { statusCode: _status, message, code, ...rest } = response;
  // Nest's own bodies carry the status text as `error`; other bodies (the health check's) mean something by it.
  if (typeof rest.error === 'string') delete rest.error;
  const text = typeof message === 'string' ? message : Array.isArray(message) ? message.map(String).join('; ') : error.message;
  return answer(status, typeof code === 'string' ? code : codeOfStatus(status), text, correlationId, { details: rest });
}

/**
 * The one mapping from errors to HTTP answers, used by the global exception filter and by the
 * idempotency layer (which stores the answer). Unknown errors become a bare 500: their
 * message may hold internals, so it goes to the log, never to the client.
 */
export function toHttpError(error: unknown, correlationId?: string): HttpError {
  if (error instanceof RequestValidationError) {
    return answer(HttpStatus.BAD_REQUEST, error.code, error.message, correlationId, { errors: error.errors });
  }
  if (error instanceof ApiError || error instanceof DomainError) {
    return answer(STATUS_BY_KIND[error.kind], error.code, error.message, correlationId, { details: error.details });
  }
  if (error instanceof WrongExpectedRevisionError) {
    const currentRevision = error.actual === 'no_stream' ? null : error.actual;
    return answer(
      HttpStatus.CONFLICT,
      'REVISION_MISMATCH',
      `The stream changed meanwhile (now at revision ${currentRevision ?? 'none'}); reload and try again.`,
      correlationId,
      {
        details: { expectedRevision: error.expected, currentRevision },
      },
    );
  }
  if (error instanceof EventStoreUnavailableError) {
    return answer(
      HttpStatus.SERVICE_UNAVAILABLE,
      error.code,
      'The event store cannot be reached just now; nothing was half-written. ' +
        'Send the same request again (the same Idempotency-Key) after Retry-After seconds.',
      correlationId,
      { details: { retryAfterSeconds: EVENT_STORE_RETRY_AFTER_SECONDS } },
    );
  }
  if (error instanceof DuplicateEventIdError) {
    return answer(HttpStatus.CONFLICT, error.code, error.message, correlationId, { details: { eventId: error.eventId } });
  }
  if (error instanceof HttpException) return fromHttpException(error, correlationId);
  return answer(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'INTERNAL_ERROR',
    'An unexpected error occurred; the correlation id finds it in the server log.',
    correlationId,
  );
}
