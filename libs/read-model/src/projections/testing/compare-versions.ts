import type pg from 'pg';
import { listCheckpoints } from '../catalog.js';
import { physicalTableName } from '../names.js';
import { comparableColumns } from './comparable-columns.js';

/** One table of a projection version against the same table of a reference version. */
export interface TableComparison {
  projection: string;
  table: string;
  rows: number;
  referenceRows: number;
  /** rows of the version missing from the reference (counted with duplicates), and a few of them as text */
  onlyHere: number;
  onlyHereSample: string[];
  onlyInReference: number;
  onlyInReferenceSample: string[];
}

const SAMPLE = 3;

/**
 * Compares every table of two versions of a projection row for row, inside PostgreSQL: each
 * table is a multiset of its rows' text (`row::text`, so every column type compares, jsonb
 * included; json by value, comparable-columns.ts), and `EXCEPT ALL` both ways counts what one has and the other lacks. Cheap for
 * hundreds of thousands of rows; a difference comes back with a few rows to look at.
 */
export async function compareVersions(pool: pg.Pool, name: string, version: number, referenceVersion: number): Promise<TableComparison[]> {
  const rows = (await listCheckpoints(pool)).filter((row) => row.name === name);
  const own = rows.find((row) => row.version === version);
  const reference = rows.find((row) => row.version === referenceVersion);
  if (!own || !reference) throw new Error(`projection ${name} has no version ${own ? referenceVersion : version}`);
  const tables = [...new Set([...own.tables, ...reference.tables])].sort();
  const comparisons: TableComparison[] = [];
  for (const table of tables) {
    const here = physicalTableName(table, version);
    const there = physicalTableName(table, referenceVersion);
    const row = async (relation: string) =>
      `ROW(${(await comparableColumns(pool, relation, 't')).map((column) => column.expression).join(', ')})::text`;
    const { rows: result } = await pool.query<{
      rows: number;
      reference_rows: number;
      only_here: number;
      only_here_sample: string[];
      only_in_reference: number;
      only_in_reference_sample: string[];
    }>(
      `WITH here AS (SELECT ${await row(here)} AS r FROM ${here} t),
            there AS (SELECT ${await row(there)} AS r FROM ${there} t),
            only_here AS (SELECT r FROM here EXCEPT ALL SELECT r FROM there),
            only_there AS (SELECT r FROM there EXCEPT ALL SELECT r FROM here)
       SELECT (SELECT count(*) FROM here)::int AS rows,
              (SELECT count(*) FROM there)::int AS reference_rows,
              (SELECT count(*) FROM only_here)::int AS only_here,
              (SELECT coalesce(array_agg(r), '{}') FROM (SELECT r FROM only_here ORDER BY r LIMIT ${SAMPLE}) s) AS only_here_sample,
              (SELECT count(*) FROM only_there)::int AS only_in_reference,
              (SELECT coalesce(array_agg(r), '{}') FROM (SELECT r FROM only_there ORDER BY r LIMIT ${SAMPLE}) s)
                AS only_in_reference_sample`,
    );
    const counted = result[0];
    comparisons.push({
      projection: name,
      table,
      rows: counted.rows,
      referenceRows: counted.reference_rows,
      onlyHere: counted.only_here,
      onlyHereSample: counted.only_here_sample,
      onlyInReference: counted.only_in_reference,
      onlyInReferenceSample: counted.only_in_reference_sample,
    });
  }
  return comparisons;
}

/** What `compareVersions` gives for identical versions: for `expect(comparisons).toEqual(identical(comparisons))`. */
export function identical(comparisons: readonly TableComparison[]): TableComparison[] {
  return comparisons.map((comparison) => ({
    ...comparison,
    rows: comparison.referenceRows,
    onlyHere: 0,
    onlyHereSample: [],
    onlyInReference: 0,
    onlyInReferenceSample: [],
  }));
}
