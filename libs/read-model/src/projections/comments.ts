import pg from 'pg';
import { ProjectionDefinitionError } from './errors.js';
import type { Projection } from './projection.js';
import { RELATION_COMMENTS, type RelationCommentsRow } from './schema/catalog-queries.js';

/**
 * Analysts read the tables through their comments (DESIGN.md §6): every physical table and
 * column must have one, and the views carry them.
 */

/** Refuses a physical table without a COMMENT ON the table and on every column. */
export async function requireComments(client: pg.PoolClient, projection: Projection, physical: string): Promise<void> {
  const comments = await relationComments(client, physical);
  const missing = [
    ...(comments.relation_comment ? [] : [`the table`]),
    ...comments.columns.filter((column) => !column.comment).map((column) => `column ${column.column}`),
  ];
  if (missing.length > 0) throw new ProjectionDefinitionError(projection.name, `${physical} needs a COMMENT ON ${missing.join(', ')}`);
}

/** Gives `view` the comments of the physical table it reads, and says which version that is. */
export async function copyComments(
  client: pg.PoolClient,
  projection: Projection,
  version: number,
  physical: string,
  view: string,
): Promise<void> {
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
