import pg from 'pg';
import { ProjectionDefinitionError, ViewSwitchError } from './errors.js';
import { physicalTableName, viewName } from './names.js';
import type { Projection, ProjectionTable } from './projection.js';
import { RELATION_COMMENTS, RELATION_EXISTS, type RelationCommentsRow } from './schema/catalog-queries.js';

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
    const comments = await relationComments(client, physical);
    const missing = [
      ...(comments.relation_comment ? [] : [`the table`]),
      ...comments.columns.filter((column) => !column.comment).map((column) => `column ${column.column}`),
    ];
    if (missing.length > 0) throw new ProjectionDefinitionError(projection.name, `${physical} needs a COMMENT ON ${missing.join(', ')}`);
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

// CREATE OR REPLACE VIEW may only add columns at the end; other changes need DROP and CREATE.
const VIEW_SHAPE_CHANGED = new Set(['42P16', '42804']);

/**
 * Points every analytics view of the projection at `version`'s tables, inside the caller's
 * transaction: readers see the old version or the new one, never a mix. Views of tables the
 * new version no longer has are dropped. Comments are copied from the physical tables.
 */
export async function switchViews(client: pg.PoolClient, projection: Projection, version: number, previousTables: readonly string[]): Promise<void> {
  for (const table of projection.tables) await pointView(client, projection, version, table);
  const current = new Set(projection.tables.map((table) => table.name));
  for (const table of previousTables) {
    if (current.has(table)) continue;
    await guarded(projection, version, viewName(table), () => client.query(`DROP VIEW IF EXISTS ${viewName(table)}`));
  }
}

async function pointView(client: pg.PoolClient, projection: Projection, version: number, table: ProjectionTable): Promise<void> {
  const view = viewName(table.name);
  const physical = physicalTableName(table.name, version);
  const columns = table.viewColumns ? table.viewColumns.map((column) => pg.escapeIdentifier(column)).join(', ') : '*';
  const select = `SELECT ${columns} FROM ${physical}`;
  await client.query('SAVEPOINT projection_view');
  try {
    await client.query(`CREATE OR REPLACE VIEW ${view} AS ${select}`);
    await client.query('RELEASE SAVEPOINT projection_view');
  } catch (error) {
    if (!(error instanceof pg.DatabaseError) || !VIEW_SHAPE_CHANGED.has(error.code ?? '')) throw new ViewSwitchError(projection.name, version, view, error);
    await client.query('ROLLBACK TO SAVEPOINT projection_view');
    await guarded(projection, version, view, async () => {
      await client.query(`DROP VIEW ${view}`);
      await client.query(`CREATE VIEW ${view} AS ${select}`);
    });
  }
  await copyComments(client, projection, version, physical, view);
}

async function guarded<T>(projection: Projection, version: number, view: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ViewSwitchError(projection.name, version, view, error);
  }
}

async function copyComments(client: pg.PoolClient, projection: Projection, version: number, physical: string, view: string): Promise<void> {
  const table = await relationComments(client, physical);
  const byColumn = new Map(table.columns.map((column) => [column.column, column.comment]));
  const note = `Reads ${physical}, version ${version} of projection ${projection.name}.`;
  const viewComment = table.relation_comment ? `${table.relation_comment} ${note}` : note;
  await client.query(`COMMENT ON VIEW ${view} IS ${pg.escapeLiteral(viewComment)}`);
  const viewColumns = await relationComments(client, view);
  for (const { column } of viewColumns.columns) {
    const comment = byColumn.get(column);
    if (comment) await client.query(`COMMENT ON COLUMN ${view}.${pg.escapeIdentifier(column)} IS ${pg.escapeLiteral(comment)}`);
  }
}

async function relationComments(client: pg.PoolClient, relation: string): Promise<RelationCommentsRow> {
  const { rows } = await client.query<RelationCommentsRow>({ ...RELATION_COMMENTS, values: [relation] });
  return rows[0];
}
