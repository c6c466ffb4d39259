/**
 * Errors of the HTTP platform itself (access, validation, idempotency). Like the domain's
 * DomainError, each has a stable `code` and a `kind`; `toHttpError` maps the kind to a status.
 */
export type ApiErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unsupported_media_type'
  | 'rule'
  | 'rate_limited'
  | 'unavailable';

/**
 * The `details` of an `unavailable` ApiError (503): the request was fine and may succeed when
 * sent again after `retryAfterSeconds`, which the HTTP answer also states as `Retry-After`.
 */
export interface UnavailableDetails extends Record<string, unknown> {
  retryAfterSeconds: number;
}

/** Every code the platform, the pipeline and the reports answer with (besides the domain's). */
export type ApiErrorCode =
  // access
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN_ROLE'
  | 'RATE_LIMITED'
  | 'TOO_MANY_FAILED_AUTHENTICATIONS'
  | 'API_KEY_NOT_FOUND'
  | 'LAST_ADMIN_KEY'
  | 'SESSION_READ_ONLY'
  // the dashboard's static files (apps/api/src/dashboard/page)
  | 'ASSET_NOT_FOUND'
  // requests
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENT_COMMAND_IN_PROGRESS'
  | 'INVALID_IDEMPOTENCY_KEY'
  | 'INVALID_IF_MATCH'
  | 'IF_MATCH_NOT_ALLOWED'
  // the command pipeline and the audit reads
  | 'REVISION_MISMATCH'
  | 'TICKET_BUSY'
  | 'TICKET_NOT_OPEN_YET'
  | 'EVENT_STORE_UNAVAILABLE'
  // reference data (reference/reference-store.ts)
  | 'REFERENCE_BUSY'
  // notifications and webhooks (apps/api/src/notifications)
  | 'WEBHOOK_NOT_FOUND'
  | 'NOTIFICATION_NOT_FOUND'
  // reports and read-your-writes
  | 'REPORT_TIMEOUT'
  | 'REPORTS_BUSY'
  | 'PROJECTION_NOT_CAUGHT_UP'
  | 'INVALID_POSITION';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly kind: ApiErrorKind,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** 503: the service cannot answer now (busy, a timeout); send the request again after `retryAfterSeconds`. */
  static unavailable(code: ApiErrorCode, message: string, details: UnavailableDetails): ApiError {
    return new ApiError(code, message, 'unavailable', details);
  }
}

export interface FieldError {
  /** Dotted path of the field in the body, e.g. `data.score` or `items.0.name`. */
  field: string;
  messages: string[];
}

/** A request body or parameter that breaks its DTO: 400 naming each invalid field. */
export class RequestValidationError extends Error {
  readonly code = 'VALIDATION_FAILED';

  constructor(readonly errors: FieldError[]) {
    super(`The request is invalid: ${errors.map((error) => error.field).join(', ')}.`);
    this.name = 'RequestValidationError';
  }
}
