import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analysts' dashboard sessions (issue 15): an analyst's API key is exchanged once for a
 * session cookie; only a hash of the cookie's token is kept, and each request reads the row
 * joined to its key, so revoking the key ends its sessions at once in every process.
 */
export class CreateDashboardSessions1765200000000 implements MigrationInterface {
  readonly name = 'CreateDashboardSessions1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE dashboard_sessions (
        token_hash text PRIMARY KEY,
        api_key_id text NOT NULL REFERENCES api_keys (id),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
        ended_at timestamptz
      )`);
    await runner.query('CREATE INDEX dashboard_sessions_expires_at ON dashboard_sessions (expires_at)');
    await runner.query(
      `COMMENT ON TABLE dashboard_sessions IS 'Sessions of the analysts'' dashboard (/dashboard): each opened by signing in once ` +
        `with an API key (analyst or admin role); the cookie opens the report and ticket-detail reads only.'`,
    );
    await runner.query(
      `COMMENT ON COLUMN dashboard_sessions.token_hash IS 'Hex SHA-256 of the session cookie''s random token; the token itself is ` +
        `never stored, so a leaked table opens no session.'`,
    );
    await runner.query(
      `COMMENT ON COLUMN dashboard_sessions.api_key_id IS 'The API key signed in with (api_keys.id); a revoked key ends the session.'`,
    );
    await runner.query(`COMMENT ON COLUMN dashboard_sessions.created_at IS 'When the key was exchanged for the session.'`);
    await runner.query(
      `COMMENT ON COLUMN dashboard_sessions.expires_at IS 'The session is refused from this instant on (DASHBOARD_SESSION_TTL after ` +
        `created_at; not extended by use).'`,
    );
    await runner.query(`COMMENT ON COLUMN dashboard_sessions.ended_at IS 'When the analyst signed out; null while the session is open.'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE dashboard_sessions');
  }
}
