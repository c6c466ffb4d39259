import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { lastValueFrom, of, type Observable } from 'rxjs';
import type { JsonValue } from '#event-store';
import { ApiError, type RequestContext } from '#platform';
import { toHttpError } from '../platform/errors/to-http-error.js';
import { contextOf } from '../platform/request-context.js';
import { commandIdFor } from '#event-store/ids/command-id.js';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_ENDPOINT, IDEMPOTENT_REPLAYED_HEADER } from './idempotent.decorator.js';
import { IdempotencyService, type CommandAnswer } from './idempotency.service.js';
import { requestHash } from './request-hash.js';

/** Headers a replay must repeat: where the created thing is, and the revision it is at. */
const REPLAYED_HEADERS = ['location', 'etag'];
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,200}$/;

function toJson(value: unknown): JsonValue | null {
  // What express would send: Dates as strings, undefined fields dropped.
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

/** A replayed command answer says so in its body too (`replayed: true`), in the same place as the first answer's flag. */
function markReplayed(body: JsonValue | null): JsonValue | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('replayed' in body)) return body;
  return { ...body, replayed: true };
}

function headersOf(res: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/**
 * Global; acts only on `@Idempotent()` handlers called with an `Idempotency-Key`. Runs after
 * the API-key guard (the key is scoped to the caller) and wraps the pipes, so a validation 400
 * is an answer that is stored and replayed like any other 4xx.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyService,
  ) {}

  async intercept(execution: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (!this.reflector.get<boolean | undefined>(IDEMPOTENT_ENDPOINT, execution.getHandler())) return next.handle();
    const http = execution.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const raw = req.headers[IDEMPOTENCY_KEY_HEADER];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (key === undefined) return next.handle();
    if (!ACCEPTABLE_KEY.test(key)) {
      throw new ApiError(
        'INVALID_IDEMPOTENCY_KEY',
        'Idempotency-Key must be 1–200 visible ASCII characters (a UUID is a good choice).',
        'bad_request',
      );
    }
    const context = contextOf(req);
    const caller = context?.caller;
    if (!context || !caller) throw new Error('@Idempotent() endpoints must be behind the API-key guard (not @Public())');
    context.commandId = commandIdFor(caller.apiKeyId, key);
    context.idempotencyKey = key;

    const outcome = await this.idempotency.run(
      {
        apiKeyId: caller.apiKeyId,
        idempotencyKey: key,
        commandId: context.commandId,
        method: context.method,
        path: context.path,
        requestHash: requestHash(context.method, context.path, req.body),
      },
      () => this.execute(next, res, context),
    );
    res.status(outcome.answer.status);
    for (const [name, value] of Object.entries(outcome.answer.headers)) res.setHeader(name, value);
    if (!outcome.replayed) return of(outcome.answer.body ?? undefined);
    res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return of(markReplayed(outcome.answer.body) ?? undefined);
  }

  private async execute(next: CallHandler, res: Response, context: RequestContext): Promise<CommandAnswer> {
    try {
      const value = await lastValueFrom(next.handle(), { defaultValue: undefined });
      return { status: res.statusCode, body: toJson(value), headers: headersOf(res) };
    } catch (error) {
      const answer = toHttpError(error, context.correlationId);
      // A 5xx is not an answer to keep: the retry must run the command again.
      if (answer.status >= 500) throw error;
      return { status: answer.status, body: toJson(answer.body), headers: answer.headers };
    }
  }
}
