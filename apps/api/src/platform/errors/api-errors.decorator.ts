import { ApiExtraModels, ApiHeader, getSchemaPath } from '@nestjs/swagger';
import { ErrorBodyDto, FieldErrorDto } from './error-body.dto.js';
import type { ErrorCode } from './error-codes.js';

/** The error statuses an endpoint documents, each with the codes it may answer. */
export type ErrorCodes = Partial<Record<400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503, readonly ErrorCode[]>>;

const MEANING: Record<number, string> = {
  400: 'The request is malformed or invalid; nothing was written',
  401: 'No API key, or an unknown or revoked one',
  403: 'The key may not do this',
  404: 'Not found',
  409: 'A conflict with the current state; nothing was written',
  413: 'The body is larger than the limit',
  415: 'The body is not JSON (send Content-Type: application/json)',
  422: 'A rule refuses the request; nothing was written',
  429: 'Too many requests: wait Retry-After seconds',
  503: 'Unavailable for now: nothing was written; retry after Retry-After seconds',
};

/** What every endpoint may answer: a query string holding what no field may (input-guards.ts). */
const EVERY_ENDPOINT = { 400: ['VALIDATION_FAILED'] } as const satisfies ErrorCodes;

/** …and every endpoint behind an API key (access.decorators.ts, api-key.guard.ts). */
const ACCESS_ERRORS = {
  401: ['UNAUTHENTICATED'],
  403: ['FORBIDDEN_ROLE', 'SESSION_READ_ONLY'],
  429: ['RATE_LIMITED', 'TOO_MANY_FAILED_AUTHENTICATIONS'],
} as const satisfies ErrorCodes;

/** What an endpoint that takes a JSON body may answer about the body itself (input-guards.ts, the body parser). */
export const BODY_ERRORS = {
  400: ['VALIDATION_FAILED', 'INVALID_JSON'],
  413: ['PAYLOAD_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
} as const satisfies ErrorCodes;

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } };
// @nestjs/swagger's own keys (constants.js): its ApiResponse replaces a status's schema, and we need the union of codes.
const SWAGGER_RESPONSES = 'swagger/apiResponse';
const CODES = Symbol('bildirim:error-codes');

export function mergeErrorCodes(...lists: ErrorCodes[]): ErrorCodes {
  const merged: Record<number, ErrorCode[]> = {};
  for (const list of lists) {
    for (const [status, codes] of Object.entries(list))
      merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...codes])];
  }
  return merged;
}

function responseOf(status: number, codes: readonly ErrorCode[]) {
  return {
    description: `${MEANING[status]}: ${codes.join(', ')}.`,
    headers: status === 429 || status === 503 ? RETRY_AFTER : undefined,
    schema: { allOf: [{ $ref: getSchemaPath(ErrorBodyDto) }, { type: 'object', properties: { code: { type: 'string', enum: codes } } }] },
  };
}

/**
 * Documents each error status with the error body and the exact codes it may carry (an enum,
 * so the spec that validates every answer against the document fails on an undocumented
 * code). Several uses on one endpoint add up, in any order; an endpoint behind an API key
 * always documents the access errors too.
 */
export function ApiErrors(codes: ErrorCodes, options: { public?: boolean } = {}): MethodDecorator & ClassDecorator {
  const decorate = (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const holder: object = descriptor ? (descriptor.value as object) : target;
    ApiExtraModels(ErrorBodyDto, FieldErrorDto)(descriptor ? target.constructor : target);
    const all = mergeErrorCodes(
      (Reflect.getMetadata(CODES, holder) as ErrorCodes | undefined) ?? {},
      EVERY_ENDPOINT,
      options.public ? {} : ACCESS_ERRORS,
      codes,
    );
    Reflect.defineMetadata(CODES, all, holder);
    const responses = (Reflect.getMetadata(SWAGGER_RESPONSES, holder) as Record<string, unknown> | undefined) ?? {};
    const ours = Object.fromEntries(Object.entries(all).map(([status, list]) => [status, responseOf(Number(status), list)]));
    Reflect.defineMetadata(SWAGGER_RESPONSES, { ...responses, ...ours }, holder);
  };
  return decorate as MethodDecorator & ClassDecorator;
}

/** If-Match as an optional header: the revision the caller decided on. */
export const ApiIfMatch = (): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'The revision the caller decided on (5 or "5"); a different current revision answers 409 REVISION_MISMATCH. ' +
      'Without it, lost races are retried.',
    schema: { type: 'string', pattern: '^(W/)?"?\\d{1,15}"?$', example: '"7"' },
  });
