import type pg from 'pg';
import { requireComments } from './comments.js';
import { ProjectionDefinitionError } from './errors.js';
import { physicalTableName } from './names.js';
import type { Projection } from './projection.js';
import { RELATION_EXISTS } from './schema/catalog-queries.js';

/**
 * Creates one version's physical tables from the projection's DDL, inside the caller's
 * transaction (so a version exists with all its tables and its checkpoint row, or not at all),
 * and refuses a table or column without a COMMENT ON: analysts read them (DESIGN.md §6).
 */
export async function createVersionTables(client: pg.PoolClient, projection: Projection, version: number): Promise<void> {
  for (const table of projection.tables) {
    const physical = physicalTableName(table.name, version);
    for (const statement of table.create(physical)) await client.query(statement);
    const { rows } = await client.query<{ exists: boolean }>({ ...RELATION_EXISTS, values: [physical] });
    if (!rows[0].exists) throw new ProjectionDefinitionError(projection.name, `table "${table.name}": its DDL did not create ${physical}`);
    await requireComments(client, projection, physical);
  }
}

/** Drops a retired version's tables. Without CASCADE: an object someone built on one stops the drop, loudly. */
export async function dropVersionTables(client: pg.PoolClient, tables: readonly string[], version: number): Promise<string[]> {
  const dropped: string[] = [];
  for (const table of tables) {
    const physical = physicalTableName(table, version);
    await client.query(`DROP TABLE IF EXISTS ${physical}`);
    dropped.push(physical);
  }
  return dropped;
}
