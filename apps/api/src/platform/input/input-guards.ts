import type { NextFunction, Request, Response } from 'express';
import { ApiError, RequestValidationError } from '#platform';
import { toHttpError } from '../errors/to-http-error.js';
import { contextOf } from '../request-context.js';
import { inspectInput } from './inspect-input.js';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function refuse(req: Request, res: Response, error: Error): void {
  const answer = toHttpError(error, contextOf(req)?.correlationId);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.status(answer.status).json(answer.body);
}

/**
 * Before the body parser: a body that is not JSON is 415. The JSON parser leaves any other
 * content type unread, and the endpoint would then answer "every field missing".
 */
export function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  // req.is: null without a body, false for a body of another type.
  if (WITH_BODY.has(req.method) && req.is('application/json') === false) {
    refuse(
      req,
      res,
      new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        `The body must be JSON sent as Content-Type: application/json, not ${req.headers['content-type'] ?? 'no content type'}.`,
        'unsupported_media_type',
        {
          contentType: req.headers['content-type'] ?? null,
        },
      ),
    );
    return;
  }
  next();
}

/** After the body parser: the parsed body and the query, inspected before any step walks them (inspect-input.ts). */
export function inspectRequestInput(req: Request, res: Response, next: NextFunction): void {
  const errors = [...inspectInput(req.body, '(body)'), ...inspectInput(req.query, '(query)')];
  if (errors.length > 0) {
    refuse(req, res, new RequestValidationError(errors));
    return;
  }
  next();
}
