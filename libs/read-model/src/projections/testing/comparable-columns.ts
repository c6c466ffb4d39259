import type pg from 'pg';

/** A column's quoted name, and the expression that reads it comparably (`alias.column`, cast for json). */
export interface ComparableColumn {
  name: string;
  expression: string;
}

/**
 * A relation's columns in order, as expressions that compare by value: a `json` column (stored
 * as written, with no equality operator) cast to jsonb, so that the same value written by COPY
 * from JSON.stringify and by an upsert from jsonb compares equal, as it reads back equal.
 */
export async function comparableColumns(pool: pg.Pool, relation: string, alias: string): Promise<ComparableColumn[]> {
  const { rows } = await pool.query<{ name: string; type: string }>(
    `SELECT attname AS name, atttypid::regtype::text AS type
       FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [relation],
  );
  if (rows.length === 0) throw new Error(`${relation} has no columns`);
  return rows.map(({ name, type }) => {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    return { name: quoted, expression: type === 'json' ? `${alias}.${quoted}::jsonb` : `${alias}.${quoted}` };
  });
}
