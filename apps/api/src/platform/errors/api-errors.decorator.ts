import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorBodyDto, FieldErrorDto } from './error-body.dto.js';

/** The error statuses an endpoint documents, each with the codes it may answer. */
export type ErrorCodes = Partial<Record<400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503, readonly string[]>>;

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

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } };

/**
 * Documents each error status with the error body and the exact codes it may carry (an enum,
 * so a test validating answers against the document fails on an undocumented code).
 */
export function ApiErrors(codes: ErrorCodes): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorBodyDto, FieldErrorDto),
    ...Object.entries(codes).map(([status, list]) =>
      ApiResponse({
        status: Number(status),
        description: `${MEANING[Number(status)]}: ${[...new Set(list)].join(', ')}.`,
        headers: Number(status) === 429 || Number(status) === 503 ? RETRY_AFTER : undefined,
        schema: { allOf: [{ $ref: getSchemaPath(ErrorBodyDto) }, { type: 'object', properties: { code: { type: 'string', enum: [...new Set(list)] } } }] },
      }),
    ),
  );
}

/** If-Match as an optional header: the revision the caller decided on. */
export const ApiIfMatch = (): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The revision the caller decided on (5 or "5"); a different current revision answers 409 REVISION_MISMATCH. Without it, lost races are retried.',
    schema: { type: 'string', pattern: '^(W/)?"?\\d{1,15}"?$', example: '"7"' },
  });
