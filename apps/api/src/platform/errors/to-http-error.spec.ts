import { describe, expect, it } from '@jest/globals';
import { BadRequestException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { WrongExpectedRevisionError } from '#event-store';
import { DomainError, TicketErrors } from '#ticketing';
import { ApiError, RequestValidationError } from '#platform';
import { toHttpError } from './to-http-error.js';

describe('toHttpError', () => {
  it.each([
    ['not_found', 404],
    ['forbidden', 403],
    ['conflict', 409],
    ['rule', 422],
  ] as const)('maps a DomainError of kind %s to %d with its code and details', (kind, status) => {
    const answer = toHttpError(new DomainError('TICKET_CLOSED', 'A sentence.', kind, { ticketId: 't-1' }), 'corr-1');
    expect(answer).toEqual({
      status,
      unexpected: false,
      body: { statusCode: status, code: 'TICKET_CLOSED', message: 'A sentence.', details: { ticketId: 't-1' }, correlationId: 'corr-1' },
      headers: {},
    });
  });

  it('maps a DomainError of kind unavailable to 503 with Retry-After from its details', () => {
    const answer = toHttpError(new DomainError('TICKET_AHEAD_OF_CLOCK', 'Ahead.', 'unavailable', { retryAfterSeconds: 2.2 }));
    expect({ status: answer.status, headers: answer.headers }).toEqual({ status: 503, headers: { 'Retry-After': '3' } });
  });

  it('maps the lost claim to 409 TICKET_ALREADY_CLAIMED', () => {
    expect(toHttpError(TicketErrors.alreadyClaimed('u-7')).body).toMatchObject({
      statusCode: 409,
      code: 'TICKET_ALREADY_CLAIMED',
      details: { holder: 'u-7' },
    });
  });

  it('leaves out empty details', () => {
    expect(toHttpError(TicketErrors.closed()).body).toEqual({
      statusCode: 422,
      code: 'TICKET_CLOSED',
      message: 'The ticket is closed; reopen it first.',
    });
  });

  it.each([
    ['bad_request', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['unsupported_media_type', 415],
    ['rule', 422],
    ['rate_limited', 429],
    ['unavailable', 503],
  ] as const)('maps an ApiError of kind %s to %d', (kind, status) => {
    expect(toHttpError(new ApiError('LAST_ADMIN_KEY', 'x', kind)).status).toBe(status);
  });

  it('answers an unavailable ApiError with 503, its code and Retry-After from retryAfterSeconds (whole seconds, at least 1)', () => {
    const answer = toHttpError(ApiError.unavailable('REPORT_TIMEOUT', 'Too long.', { retryAfterSeconds: 2.5, limitMs: 2500 }), 'c');
    expect(answer).toEqual({
      status: 503,
      unexpected: false,
      headers: { 'Retry-After': '3' },
      body: {
        statusCode: 503,
        code: 'REPORT_TIMEOUT',
        message: 'Too long.',
        details: { retryAfterSeconds: 2.5, limitMs: 2500 },
        correlationId: 'c',
      },
    });
    expect(toHttpError(ApiError.unavailable('REPORTS_BUSY', 'Busy.', { retryAfterSeconds: 0 })).headers).toEqual({ 'Retry-After': '1' });
  });

  it('answers a 409 with Retry-After only when its details say when to come back (a command of the same key still running)', () => {
    expect(toHttpError(new ApiError('IDEMPOTENT_COMMAND_IN_PROGRESS', 'x', 'conflict', { retryAfterSeconds: 1 })).headers).toEqual({
      'Retry-After': '1',
    });
    expect(toHttpError(new ApiError('LAST_ADMIN_KEY', 'x', 'conflict')).headers).toEqual({});
    expect(toHttpError(new ApiError('LAST_ADMIN_KEY', 'x', 'bad_request', { retryAfterSeconds: 5 })).headers).toEqual({});
  });

  it('names each invalid field of a validation error', () => {
    const answer = toHttpError(new RequestValidationError([{ field: 'data.score', messages: ['score must not be greater than 5'] }]), 'c');
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'The request is invalid: data.score.',
      errors: [{ field: 'data.score', messages: ['score must not be greater than 5'] }],
      correlationId: 'c',
    });
  });

  it('answers a stale revision from the store with the one code for it, 409 REVISION_MISMATCH, and the current revision', () => {
    const answer = toHttpError(new WrongExpectedRevisionError('ticket-1', 3, 5));
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 'REVISION_MISMATCH', details: { expectedRevision: 3, currentRevision: 5 } });
  });

  it('keeps the status of Nest HttpExceptions and derives a code from it', () => {
    expect(toHttpError(new NotFoundException('Cannot GET /x')).body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /x',
    });
    expect(toHttpError(new HttpException('teapot', 418)).body).toMatchObject({ statusCode: 418, code: 'I_M_A_TEAPOT' });
  });

  it('keeps the extra fields of an HttpException body as details (the health check answer)', () => {
    const answer = toHttpError(
      new ServiceUnavailableException({
        status: 'error',
        error: { database: { status: 'down' } },
        details: { database: { status: 'down' } },
      }),
    );
    expect(answer.status).toBe(503);
    expect(answer.unexpected).toBe(false);
    expect(answer.body.details).toEqual({
      status: 'error',
      error: { database: { status: 'down' } },
      details: { database: { status: 'down' } },
    });
    expect(toHttpError(new BadRequestException('Nope')).body).toEqual({ statusCode: 400, code: 'BAD_REQUEST', message: 'Nope' });
  });

  it('recognises body-parser errors: a body over the limit and malformed JSON', () => {
    const tooLarge = new HttpException('request entity too large', 413, {
      cause: Object.assign(new Error('too large'), { type: 'entity.too.large', limit: 1024 }),
    });
    expect(toHttpError(tooLarge).body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 1024 } });
    const malformed = new BadRequestException('Unexpected token', {
      cause: Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' }),
    });
    expect(toHttpError(malformed).body).toMatchObject({ statusCode: 400, code: 'INVALID_JSON' });
  });

  it('hides anything else behind a bare 500 and marks it for the log', () => {
    const answer = toHttpError(new Error('connection to 10.0.0.3 refused: password authentication failed'), 'c');
    expect(answer.unexpected).toBe(true);
    expect(answer.body).toEqual({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred; the correlation id finds it in the server log.',
      correlationId: 'c',
    });
    expect(toHttpError('a thrown string').status).toBe(500);
  });
});
