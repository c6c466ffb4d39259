import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency without a transaction held across the command (issue 12): the key's row is
 * committed first and answered after, and `owner` says which process runs it. A waiter that
 * finds an unanswered row of an owner whose liveness lock is gone (a killed process) takes it
 * over; the command id derived from the key keeps the re-run from applying twice.
 */
export class CommandsOwner1765100000000 implements MigrationInterface {
  readonly name = 'CommandsOwner1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE commands ADD COLUMN owner integer');
    await runner.query(
      `COMMENT ON COLUMN commands.owner IS 'The process running the command while status_code is null: the key of the ` +
        `advisory lock (idempotency namespace, owner) its liveness session holds. A row whose owner holds no lock any more ` +
        `is abandoned (the process died) and the next request with the key takes it over. Null on rows answered before.'`,
    );
    await runner.query(
      `COMMENT ON COLUMN commands.status_code IS 'HTTP status of the stored answer: ` +
        `a success or a 4xx rejection (5xx answers are not stored, so a retry runs again). ` +
        `Null while the owner runs the command.'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE commands DROP COLUMN owner');
  }
}
