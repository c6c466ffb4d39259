import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-your-writes for reference data across API processes (docs/decisions.md "Reference data"):
 * every reference stream's revision, and one counter bumped in the same transaction. A ticket
 * command reads the counter (one row); only when it moved does the process read the heads and
 * the streams that grew. The counter row is locked by each writer until it commits, so a
 * reader that sees value n sees every head written up to n.
 */
export class CreateReferenceHeads1763900000002 implements MigrationInterface {
  readonly name = 'CreateReferenceHeads1763900000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE reference_heads (
        stream_id text PRIMARY KEY,
        revision bigint NOT NULL CHECK (revision >= -1),
        changed_at timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE TABLE reference_version (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version bigint NOT NULL)`,
    );
    await runner.query(`INSERT INTO reference_version (version) VALUES (0)`);
    await runner.query(
      `COMMENT ON TABLE reference_heads IS 'Each reference stream (ref-<kind>-<id>) and the revision of its newest event, ` +
        `written by the admin API and cli ref after each append: the index API processes refresh their reference catalogue from.'`,
    );
    await runner.query(`COMMENT ON COLUMN reference_heads.stream_id IS 'The reference stream, e.g. ref-unit-front.'`);
    await runner.query(
      `COMMENT ON COLUMN reference_heads.revision IS 'Revision of the stream''s newest event (0-based); ` +
        `-1 while its first append is under way.'`,
    );
    await runner.query(`COMMENT ON COLUMN reference_heads.changed_at IS 'When the row was last written.'`);
    await runner.query(
      `COMMENT ON TABLE reference_version IS 'One row: a counter bumped with every reference change, so a process knows ` +
        `with one read whether its cached reference catalogue is still current.'`,
    );
    await runner.query(`COMMENT ON COLUMN reference_version.only_row IS 'Always true: the table has exactly one row.'`);
    await runner.query(`COMMENT ON COLUMN reference_version.version IS 'Bumped by one in the transaction of every reference head change.'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE reference_version');
    await runner.query('DROP TABLE reference_heads');
  }
}
