import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, CLOCK, type AppConfig, type Caller, type Clock, type Role } from '#platform';

/** The roles whose keys may open a dashboard session: the reports need analyst; admin may do everything. */
export const SESSION_ROLES: readonly Role[] = ['analyst', 'admin'];

export interface OpenedSession {
  /** The cookie's value: returned this once, stored only as a hash. */
  token: string;
  expiresAt: Date;
}

export interface SessionCaller extends Caller {
  expiresAt: Date;
}

// A session counts only while its key is active and still has a session role: revoking the key
// (or taking the role away) ends its sessions at the next request, in every process.
const CALLER_OF = `
  SELECT k.id, k.name, k.roles, s.expires_at
  FROM dashboard_sessions s JOIN api_keys k ON k.id = s.api_key_id
  WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND k.revoked_at IS NULL
    AND k.roles && $3::text[]`;

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function maySignIn(roles: readonly Role[]): boolean {
  return roles.some((role) => SESSION_ROLES.includes(role));
}

/**
 * Dashboard sessions, kept in PostgreSQL (dashboard_sessions) and read on every request: no
 * cache, so sign-out and revocation take effect at once; one indexed lookup per request.
 */
@Injectable()
export class DashboardSessions {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlMs(): number {
    return this.config.dashboardSessionTtlMs;
  }

  /** The reporting zone, which the page needs before its first report to cut its periods. */
  get timeZone(): string {
    return this.config.reportingTimeZone;
  }

  /** A new session for a key already authenticated and allowed to sign in (maySignIn). */
  async open(caller: Caller): Promise<OpenedSession> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.dataSource.transaction(async (manager) => {
      // Expired and ended sessions are kept a day for inspection, then dropped on a later sign-in.
      await manager.query('DELETE FROM dashboard_sessions WHERE expires_at < $1 OR ended_at < $1', [
        new Date(now.getTime() - 24 * 60 * 60 * 1000),
      ]);
      await manager.query(
        'INSERT INTO dashboard_sessions (token_hash, api_key_id, created_at, expires_at, ended_at) VALUES ($1, $2, $3, $4, NULL)',
        [hashToken(token), caller.apiKeyId, now, expiresAt],
      );
    });
    return { token, expiresAt };
  }

  /** The caller of an open session, or undefined (unknown, ended, expired, or its key revoked). */
  async callerOf(token: string): Promise<SessionCaller | undefined> {
    const rows = await this.dataSource.query<Array<{ id: string; name: string; roles: Role[]; expires_at: Date }>>(CALLER_OF, [
      hashToken(token),
      this.clock.now(),
      SESSION_ROLES,
    ]);
    const row = rows.at(0);
    return row && { apiKeyId: row.id, name: row.name, roles: row.roles, expiresAt: row.expires_at };
  }

  /** Sign-out; ending an unknown or ended session is not an error. */
  async end(token: string): Promise<void> {
    await this.dataSource.query('UPDATE dashboard_sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL', [
      hashToken(token),
      this.clock.now(),
    ]);
  }
}
