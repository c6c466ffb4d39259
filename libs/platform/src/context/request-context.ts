import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from '../api-keys/roles.js';

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

/** Runs a function inside a context (a request's middleware, tests, background work that acts for a request). */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}
