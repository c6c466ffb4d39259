import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { runWithRequestContext, type RequestContext } from '#platform';

const ON_REQUEST = Symbol('requestContext');

type WithContext = Request & { [ON_REQUEST]?: RequestContext };

export const CORRELATION_ID_HEADER = 'x-correlation-id';
export const CAUSATION_ID_HEADER = 'x-causation-id';
// A caller's id is echoed into logs and events: keep it to a sane, printable token.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

function headerId(req: Request, name: string): string | undefined {
  const raw = req.headers[name];
  const candidate = Array.isArray(raw) ? raw[0] : raw;
  return candidate !== undefined && ACCEPTABLE_ID.test(candidate) ? candidate : undefined;
}

/** The context attached to an express request (what guards, interceptors and filters use). */
export function contextOf(req: Request): RequestContext | undefined {
  return (req as WithContext)[ON_REQUEST];
}

export function createRequestContext(req: Request): RequestContext {
  return {
    correlationId: headerId(req, CORRELATION_ID_HEADER) ?? randomUUID(),
    causationId: headerId(req, CAUSATION_ID_HEADER),
    method: req.method,
    path: req.originalUrl.split('?')[0],
    startedAt: performance.now(),
    caller: undefined,
    commandId: randomUUID(),
    idempotencyKey: undefined,
  };
}

/** First middleware: makes the context, echoes the correlation id, and enters the context. */
export function enterRequestContext(req: Request, res: Response, next: NextFunction): void {
  const context = createRequestContext(req);
  (req as WithContext)[ON_REQUEST] = context;
  res.setHeader('X-Correlation-Id', context.correlationId);
  runWithRequestContext(context, next);
}

/**
 * Enters the request's context again after the body parser: it continues from the socket's
 * 'end' event, whose async context is the connection's, not the request's.
 */
export function reenterRequestContext(req: Request, _res: Response, next: NextFunction): void {
  const context = contextOf(req);
  if (context) runWithRequestContext(context, next);
  else next();
}
