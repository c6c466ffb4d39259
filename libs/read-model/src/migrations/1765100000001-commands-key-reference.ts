import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The commands table no longer references api_keys (issue 12). The reference was checked on
 * every claim by a hidden `SELECT … FOR KEY SHARE` of the caller's key row, and with many
 * claims of one key in flight the row's lockers became a MultiXact, rewritten on each claim:
 * a hot row for every command of a busy client. It could never fail: a claim follows the
 * API-key guard, and keys are revoked (revoked_at), never deleted.
 */
export class CommandsKeyReference1765100000001 implements MigrationInterface {
  readonly name = 'CommandsKeyReference1765100000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE commands DROP CONSTRAINT IF EXISTS commands_api_key_id_fkey');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE commands ADD CONSTRAINT commands_api_key_id_fkey FOREIGN KEY (api_key_id) REFERENCES api_keys (id)');
  }
}
