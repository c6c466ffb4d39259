import type pg from 'pg';
import { comparableColumns } from '#read-model/projections/testing/comparable-columns.js';

/** The rows one relation has and the other lacks (as multisets), counted, with a few shown. */
export interface TableDifferences {
  rows: number;
  onlyLeft: number;
  onlyRight: number;
  /** up to SHOWN rows from each side, as JSON, for the failure message */
  shown: Array<{ side: 'left' | 'right'; row: unknown }>;
}

const SHOWN = 3;

/**
 * Compares two relations of the same columns row for row inside PostgreSQL (`EXCEPT ALL` both
 * ways): on large loads, reading five copies of every table into Node and deep-comparing them
 * took most of a heavy spec's ten minutes; PostgreSQL does it in seconds. Column order must match
 * (the builds create their tables with the same SQL). Equality is PostgreSQL's: jsonb and json by value,
 * numeric by value (1.0 = 1.00), timestamps by instant.
 */
export async function tableDifferences(pool: pg.Pool, left: string, right: string): Promise<TableDifferences> {
  const selectOf = async (relation: string) => {
    const columns = await comparableColumns(pool, relation, 't');
    return `SELECT ${columns.map((column) => `${column.expression} AS ${column.name}`).join(', ')} FROM ${relation} t`;
  };
  const select = new Map([
    [left, await selectOf(left)],
    [right, await selectOf(right)],
  ]);
  const except = (a: string, b: string) => `(${select.get(a)} EXCEPT ALL ${select.get(b)})`;
  const count = async (a: string, b: string) =>
    Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${except(a, b)} d`)).rows[0].n);
  const show = async (a: string, b: string) =>
    (await pool.query<{ row: unknown }>(`SELECT to_jsonb(d) AS row FROM ${except(a, b)} d LIMIT ${SHOWN}`)).rows.map((r) => r.row);
  const rows = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${left}`)).rows[0].n);
  const onlyLeft = await count(left, right);
  const onlyRight = await count(right, left);
  const shown =
    onlyLeft + onlyRight === 0
      ? []
      : [
          ...(await show(left, right)).map((row) => ({ side: 'left' as const, row })),
          ...(await show(right, left)).map((row) => ({ side: 'right' as const, row })),
        ];
  return { rows, onlyLeft, onlyRight, shown };
}

/**
 * Every table of `tables` under `prefix` against the same table under `reference`: a map from
 * table name to its differences, so one `toEqual` names every table that differs and shows rows.
 */
export async function prefixDifferences(
  pool: pg.Pool,
  tables: readonly string[],
  prefix: string,
  reference: string,
): Promise<Record<string, Omit<TableDifferences, 'rows'>>> {
  const out: Record<string, Omit<TableDifferences, 'rows'>> = {};
  for (const table of tables) {
    const { onlyLeft, onlyRight, shown } = await tableDifferences(pool, `analytics.${prefix}${table}`, `analytics.${reference}${table}`);
    out[table] = { onlyLeft, onlyRight, shown };
  }
  return out;
}

/** What prefixDifferences gives when the two prefixes hold the same rows. */
export function noDifferences(tables: readonly string[]): Record<string, Omit<TableDifferences, 'rows'>> {
  return Object.fromEntries(tables.map((table) => [table, { onlyLeft: 0, onlyRight: 0, shown: [] }]));
}
