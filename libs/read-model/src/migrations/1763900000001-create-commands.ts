import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency (DESIGN.md §3): the first answer to each (API key, Idempotency-Key) pair. A row
 * is inserted and completed in one transaction that stays open while the command runs, so
 * the unique key makes concurrent retries wait for that answer instead of running twice.
 */
export class CreateCommands1763900000001 implements MigrationInterface {
  readonly name = 'CreateCommands1763900000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE commands (
        api_key_id text NOT NULL REFERENCES api_keys (id),
        idempotency_key text NOT NULL,
        command_id uuid NOT NULL,
        request_method text NOT NULL,
        request_path text NOT NULL,
        request_hash text NOT NULL,
        status_code integer CHECK (status_code BETWEEN 200 AND 499),
        response_body jsonb,
        response_headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        PRIMARY KEY (api_key_id, idempotency_key)
      )`);
    await runner.query(
      `COMMENT ON TABLE commands IS 'The stored first answer of every command sent with an Idempotency-Key; ` +
        `a retry with the same key gets this answer again instead of running the command twice.'`,
    );
    await runner.query(`COMMENT ON COLUMN commands.api_key_id IS 'The API key that sent the command; idempotency keys are scoped to it.'`);
    await runner.query(`COMMENT ON COLUMN commands.idempotency_key IS 'The Idempotency-Key header as the client sent it.'`);
    await runner.query(
      `COMMENT ON COLUMN commands.command_id IS 'The command id: UUID v5 of the API key id and the idempotency key; ` +
        `the command''s events derive their ids from it.'`,
    );
    await runner.query(`COMMENT ON COLUMN commands.request_method IS 'HTTP method of the first request with this key.'`);
    await runner.query(`COMMENT ON COLUMN commands.request_path IS 'Path of the first request with this key.'`);
    await runner.query(
      `COMMENT ON COLUMN commands.request_hash IS 'Hex SHA-256 of method, path and canonical JSON body; ` +
        `a later request with the same key and another hash is refused (422 IDEMPOTENCY_KEY_REUSED).'`,
    );
    await runner.query(
      `COMMENT ON COLUMN commands.status_code IS 'HTTP status of the stored answer: ` +
        `a success or a 4xx rejection (5xx answers are not stored, so a retry runs again). ` +
        `Null only inside the transaction that runs the command.'`,
    );
    await runner.query(`COMMENT ON COLUMN commands.response_body IS 'JSON body of the stored answer, replayed as it is.'`);
    await runner.query(
      `COMMENT ON COLUMN commands.response_headers IS 'Headers of the stored answer that a replay repeats (Location, ETag), ` +
        `by lower-case name.'`,
    );
    await runner.query(`COMMENT ON COLUMN commands.created_at IS 'When the first request with this key arrived.'`);
    await runner.query(`COMMENT ON COLUMN commands.completed_at IS 'When its answer was stored.'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE commands');
  }
}
