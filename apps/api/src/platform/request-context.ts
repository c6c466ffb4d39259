import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../access/roles.js';

/** The API key a request was authenticated with (never the secret). */
export interface Caller {
  apiKeyId: string;
  /** The calling service or person: the actor's service in event metadata. */
  name: string;
  roles: readonly Role[];
}

/**
 * What every provider may know about the request it serves, without passing it down:
 * read it with `requestContext()` (or `currentRequestContext()` outside requests).
 */
export interface RequestContext {
  /** `X-Correlation-Id`, or a new UUID; echoed in the response and in every log line. */
  readonly correlationId: string;
  /** `X-Causation-Id`, if the caller sent one: the event or message that caused this request. */
  readonly causationId: string | undefined;
  readonly method: string;
  readonly path: string;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  /** Set by the API-key guard; undefined on public endpoints and before the guard ran. */
  caller: Caller | undefined;
  /**
   * The command id: UUID v5 of (API key id, Idempotency-Key) on an `@Idempotent()` endpoint
   * called with that header, so a retry derives the same event ids; a random UUID otherwise.
   */
  commandId: string;
  /** `Idempotency-Key` as accepted by the idempotency interceptor. */
  idempotencyKey: string | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();
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

/** The context of the request being served, or undefined outside one (start-up, background work). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The context of the request being served; calling it outside a request is a programming error. */
export function requestContext(): RequestContext {
  const context = storage.getStore();
  if (!context) throw new Error('requestContext() was called outside an HTTP request');
  return context;
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

/** Runs a function inside a context (tests, background work that acts for a request). */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** First middleware: makes the context, echoes the correlation id, and enters the context. */
export function enterRequestContext(req: Request, res: Response, next: NextFunction): void {
  const context = createRequestContext(req);
  (req as WithContext)[ON_REQUEST] = context;
  res.setHeader('X-Correlation-Id', context.correlationId);
  storage.run(context, next);
}

/**
 * Enters the request's context again after the body parser: it continues from the socket's
 * 'end' event, whose async context is the connection's, not the request's.
 */
export function reenterRequestContext(req: Request, _res: Response, next: NextFunction): void {
  const context = contextOf(req);
  if (context) storage.run(context, next);
  else next();
}
