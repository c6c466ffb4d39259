import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MIGRATIONS_TABLE } from './migrations-table.js';

/** API keys (DESIGN.md §10): only a hash of each key is kept, so a leaked table grants nothing. */
export class CreateApiKeys1763900000000 implements MigrationInterface {
  // Named explicitly: TypeORM reads the timestamp from the name, and class names do not survive minification.
  readonly name = 'CreateApiKeys1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `COMMENT ON TABLE ${MIGRATIONS_TABLE} IS 'TypeORM migrations of the read store that have run (libs/read-model/src/migrations); ` +
        `the event store keeps its own in event_store.schema_versions.'`,
    );
    await runner.query(`COMMENT ON COLUMN ${MIGRATIONS_TABLE}.id IS 'Order in which the migration ran.'`);
    await runner.query(
      `COMMENT ON COLUMN ${MIGRATIONS_TABLE}.timestamp IS 'The migration''s version: the timestamp at the end of its name.'`,
    );
    await runner.query(`COMMENT ON COLUMN ${MIGRATIONS_TABLE}.name IS 'The migration''s class name, e.g. CreateApiKeys1763900000000.'`);

    await runner.query(`
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        roles text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['service', 'importer', 'analyst', 'auditor', 'admin']),
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        revoked_at timestamptz
      )`);
    await runner.query(
      `COMMENT ON TABLE api_keys IS 'API keys of the services and people that call the API; ` +
        `the key itself is shown once at creation and never stored.'`,
    );
    await runner.query(
      `COMMENT ON COLUMN api_keys.id IS 'Public id of the key (the <keyId> in bk_<keyId>_<secret>); names the key in lists, ` +
        `logs and event metadata.'`,
    );
    await runner.query(
      `COMMENT ON COLUMN api_keys.name IS 'Who calls with this key, e.g. the calling service (call-centre, web-forms); ` +
        `the actor''s service in event metadata.'`,
    );
    await runner.query(
      `COMMENT ON COLUMN api_keys.roles IS 'Roles granted: service, importer, analyst, auditor, admin (DESIGN.md §10); ` +
        `admin may do everything.'`,
    );
    await runner.query(
      `COMMENT ON COLUMN api_keys.key_hash IS 'Hex SHA-256 of the whole key; a request''s key is hashed and looked up here.'`,
    );
    await runner.query(`COMMENT ON COLUMN api_keys.created_at IS 'When the key was created.'`);
    await runner.query(
      `COMMENT ON COLUMN api_keys.created_by IS 'What created the key: the id of the admin key that called POST /admin/api-keys, ` +
        `cli, first-start, or ADMIN_API_KEY.'`,
    );
    await runner.query(
      `COMMENT ON COLUMN api_keys.revoked_at IS 'When the key was revoked; null while it is active. A revoked key is refused (401).'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE api_keys');
  }
}
