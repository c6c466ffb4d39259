import pg from 'pg';
import { copyComments } from './comments.js';
import { ViewSwitchError } from './errors.js';
import { physicalTableName, viewName } from './names.js';
import type { Projection, ProjectionTable } from './projection.js';

// CREATE OR REPLACE VIEW may only add columns at the end; other changes need DROP and CREATE.
const VIEW_SHAPE_CHANGED = new Set(['42P16', '42804']);

/**
 * Points every analytics view of the projection at `version`'s tables, inside the caller's
 * transaction: readers see the old version or the new one, never a mix. Views of tables the
 * new version no longer has are dropped. Comments are copied from the physical tables.
 */
export async function switchViews(
  client: pg.PoolClient,
  projection: Projection,
  version: number,
  previousTables: readonly string[],
): Promise<void> {
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
    if (!(error instanceof pg.DatabaseError) || !VIEW_SHAPE_CHANGED.has(error.code ?? ''))
      throw new ViewSwitchError(projection.name, version, view, error);
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
