import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError, keyFromHeaders, ApiKeys, mayCall, type Caller } from '#platform';
import { DashboardSessions } from '../dashboard/session/dashboard-sessions.js';
import { sessionTokenFrom } from '../dashboard/session/session-cookie.js';
import { contextOf } from '../platform/request-context.js';
import { PUBLIC_ENDPOINT, RequiredRoles, SESSION_READABLE } from './access.decorators.js';
import { RateLimits } from './rate-limits.js';

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Every endpoint needs a valid API key (DESIGN.md §10) unless marked `@Public()`; `@Roles()`
 * narrows it further. Without a key, the dashboard's session cookie stands for the key it was
 * opened with, on the `@SessionReadable()` GET endpoints only. The caller is put into the request
 * context for handlers and logs. The rate limits are checked here, where the caller is known
 * (rate-limits.ts).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeys,
    private readonly limits: RateLimits,
    private readonly sessions: DashboardSessions,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const targets = [execution.getHandler(), execution.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ENDPOINT, targets)) return true;
    const req = execution.switchToHttp().getRequest<Request>();
    const address = req.socket.remoteAddress ?? 'unknown';
    this.limits.checkAddress(address);
    const key = keyFromHeaders(header(req, 'authorization'), header(req, 'x-api-key'));
    const sessionToken = key === undefined ? sessionTokenFrom(header(req, 'cookie')) : undefined;
    if (sessionToken !== undefined) {
      const readable = req.method === 'GET' && this.reflector.getAllAndOverride<boolean | undefined>(SESSION_READABLE, targets) === true;
      if (!readable) {
        throw new ApiError(
          'SESSION_READ_ONLY',
          'A dashboard session opens only the reports and ticket reads; send an API key for anything else.',
          'forbidden',
        );
      }
      const caller = await this.sessions.callerOf(sessionToken);
      if (!caller) throw new ApiError('UNAUTHENTICATED', 'The dashboard session has ended; sign in again.', 'unauthenticated');
      return this.admit(req, { apiKeyId: caller.apiKeyId, name: caller.name, roles: caller.roles }, targets);
    }
    if (key === undefined) {
      throw new ApiError(
        'UNAUTHENTICATED',
        'An API key is required: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>".',
        'unauthenticated',
      );
    }
    const caller = await this.apiKeys.authenticate(key);
    if (!caller) {
      this.limits.recordFailure(address);
      throw new ApiError('UNAUTHENTICATED', 'The API key is not valid or has been revoked.', 'unauthenticated');
    }
    return this.admit(req, caller, targets);
  }

  /** The key's request allowance, the caller into the request context, then the endpoint's roles. */
  private admit(req: Request, caller: Caller, targets: Parameters<Reflector['getAllAndOverride']>[1]): boolean {
    this.limits.takeRequest(caller.apiKeyId);
    const context = contextOf(req);
    if (context) context.caller = caller;
    const required = this.reflector.getAllAndOverride(RequiredRoles, targets) ?? [];
    if (!mayCall(caller.roles, required)) {
      const others = required.filter((role) => role !== 'admin');
      const needed = others.length === 0 ? 'an admin key' : `one of the roles ${others.join(', ')} (or admin)`;
      throw new ApiError('FORBIDDEN_ROLE', `This needs ${needed}; the key "${caller.name}" has ${caller.roles.join(', ')}.`, 'forbidden', {
        requiredRoles: required,
        grantedRoles: caller.roles,
      });
    }
    return true;
  }
}
