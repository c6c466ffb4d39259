import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError, ApiKeys, JsonLogger } from '#platform';
import { Public } from '../../access/access.decorators.js';
import { RateLimits } from '../../access/rate-limits.js';
import { ApiErrors, BODY_ERRORS } from '../../platform/errors/api-errors.decorator.js';
import { DashboardSessionDto, SignInDto } from './dashboard-session.dto.js';
import { DashboardSessions, maySignIn } from './dashboard-sessions.js';
import { clearedSessionCookie, sessionCookie, sessionTokenFrom } from './session-cookie.js';

const SESSION_ENDED = () =>
  new ApiError('UNAUTHENTICATED', 'No dashboard session is open; sign in with an analyst key.', 'unauthenticated');

/**
 * Sign-in and sign-out of the analysts' dashboard (issue 15): an API key with the analyst or
 * admin role is exchanged once for a session cookie that opens the report and ticket reads only
 * (api-key.guard.ts). Public: the key comes in the body, the session in the cookie.
 */
@ApiTags('dashboard')
@Controller('dashboard/session')
export class DashboardSessionController {
  constructor(
    private readonly apiKeys: ApiKeys,
    private readonly sessions: DashboardSessions,
    private readonly limits: RateLimits,
    private readonly logger: JsonLogger,
  ) {}

  @Post()
  @Public()
  @ApiOperation({
    summary: 'Sign in: exchange an API key with the analyst (or admin) role for a session cookie',
    description:
      'Answers with Set-Cookie bildirim_session (HttpOnly, SameSite=Strict, Path=/, Max-Age: DASHBOARD_SESSION_TTL; Secure over ' +
      'TLS or behind a TRUST_PROXY that says https). The cookie opens the GET report endpoints, GET /tickets/{id} and its events; ' +
      'any other endpoint answers 403 SESSION_READ_ONLY. A revoked key ends its sessions.',
  })
  @ApiCreatedResponse({ type: DashboardSessionDto })
  @ApiErrors(
    { ...BODY_ERRORS, 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN_ROLE'], 429: ['TOO_MANY_FAILED_AUTHENTICATIONS', 'RATE_LIMITED'] },
    { public: true },
  )
  async signIn(@Body() body: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<DashboardSessionDto> {
    const address = req.socket.remoteAddress ?? 'unknown';
    this.limits.checkAddress(address);
    const caller = await this.apiKeys.authenticate(body.key);
    if (!caller) {
      this.limits.recordFailure(address);
      throw new ApiError('UNAUTHENTICATED', 'The API key is not valid or has been revoked.', 'unauthenticated');
    }
    this.limits.takeRequest(caller.apiKeyId);
    if (!maySignIn(caller.roles)) {
      throw new ApiError(
        'FORBIDDEN_ROLE',
        `The dashboard needs a key with the analyst role (or admin); the key "${caller.name}" has ${caller.roles.join(', ')}.`,
        'forbidden',
        { requiredRoles: ['analyst'], grantedRoles: caller.roles },
      );
    }
    const session = await this.sessions.open(caller);
    res.setHeader('Set-Cookie', sessionCookie(session.token, Math.floor(this.sessions.ttlMs / 1000), req.secure));
    res.setHeader('Cache-Control', 'no-store');
    this.logger.info('dashboard session opened', { apiKeyId: caller.apiKeyId, expiresAt: session.expiresAt.toISOString() });
    return { name: caller.name, roles: [...caller.roles], expiresAt: session.expiresAt.toISOString(), timeZone: this.sessions.timeZone };
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'The open dashboard session of this cookie: who signed in and until when (401 when none is open)' })
  @ApiOkResponse({ type: DashboardSessionDto })
  @ApiErrors({ 401: ['UNAUTHENTICATED'] }, { public: true })
  async current(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<DashboardSessionDto> {
    const token = sessionTokenFrom(req.headers.cookie);
    const caller = token === undefined ? undefined : await this.sessions.callerOf(token);
    if (!caller) throw SESSION_ENDED();
    res.setHeader('Cache-Control', 'no-store');
    return { name: caller.name, roles: [...caller.roles], expiresAt: caller.expiresAt.toISOString(), timeZone: this.sessions.timeZone };
  }

  @Delete()
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session of this cookie and clears the cookie (204 whether or not one was open)' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors({}, { public: true })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = sessionTokenFrom(req.headers.cookie);
    if (token !== undefined) await this.sessions.end(token);
    res.setHeader('Set-Cookie', clearedSessionCookie(req.secure));
  }
}
