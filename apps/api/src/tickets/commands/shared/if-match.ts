import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from '#platform';

/** `If-Match: 5` or the ETag form `If-Match: "5"` → the revision the caller last saw. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) {
    throw new ApiError(
      'INVALID_IF_MATCH',
      `If-Match must be a stream revision such as 5 or "5", not ${JSON.stringify(header)}.`,
      'bad_request',
      { ifMatch: header },
    );
  }
  return Number(match[1]);
}

function ifMatchOf(execution: ExecutionContext): string | undefined {
  const value = execution.switchToHttp().getRequest<Request>().headers['if-match'];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The revision in `If-Match`, if sent (400 INVALID_IF_MATCH if it is not one). A parameter
 * decorator of ours, not `@Headers()`, which OpenAPI would list as a required header.
 */
export const ExpectedRevision = createParamDecorator((_: unknown, execution: ExecutionContext): number | undefined =>
  parseIfMatch(ifMatchOf(execution)),
);

/** Opening a ticket: it has no revision yet, so an If-Match on it is a mistake worth saying (400). */
export const NoIfMatch = createParamDecorator((_: unknown, execution: ExecutionContext): undefined => {
  const header = ifMatchOf(execution);
  if (header === undefined) return;
  throw new ApiError(
    'IF_MATCH_NOT_ALLOWED',
    'A new ticket has no revision to match: send the open without If-Match (an existing id answers 409 TICKET_ALREADY_EXISTS).',
    'bad_request',
    {
      ifMatch: header,
    },
  );
});
