/**
 * A projection table declared as data: its columns with their comments, key and indexes. From
 * that one declaration come the DDL with a COMMENT ON for the table and every column (under the
 * physical name the engine gives, `projections.<table>_v<n>`), the analysts' documentation, and
 * the TypeScript type of a row (`RowOf`), so a row builder with a misspelt or missing column
 * does not compile (jsonb_populate_recordset would quietly write NULL).
 */

/** A column: its name, its SQL type (`NOT NULL` at the end when it never holds null), its comment. */
export type ColumnDefinition = readonly [name: string, type: string, comment: string];

/** An index beyond a plain column list: covering (`include`) for index-only scans, or partial (`where`). */
export interface IndexDefinition<Column extends string = string> {
  columns: readonly Column[];
  include?: readonly Column[];
  where?: string;
}

export interface TableDefinition<Name extends string = string, Columns extends readonly ColumnDefinition[] = readonly ColumnDefinition[]> {
  name: Name;
  comment: string;
  columns: Columns;
  primaryKey: ReadonlyArray<Columns[number][0]>;
  indexes: ReadonlyArray<ReadonlyArray<Columns[number][0]> | IndexDefinition<Columns[number][0]>>;
}

/** The column names of a table. */
export type ColumnName<Table extends TableDefinition> = Table['columns'][number][0];

/**
 * Declares a table keeping its name and columns as literal types, which `RowOf` reads. The
 * primary key and the indexes may only name declared columns.
 */
export function defineTable<const Name extends string, const Columns extends readonly ColumnDefinition[]>(
  table: TableDefinition<Name, Columns>,
): TableDefinition<Name, Columns> {
  return table;
}

/**
 * The value a row builder writes for an SQL type: rows travel as JSON, so instants and dates are
 * ISO-8601 text. A type missing here maps to `never`: a column of it cannot be written until it
 * is added.
 */
type SqlValue<Type extends string> = Type extends 'text' | 'uuid' | 'timestamptz' | 'date'
  ? string
  : Type extends 'integer' | 'bigint' | 'double precision'
    ? number
    : Type extends 'boolean'
      ? boolean
      : Type extends 'jsonb' | 'json'
        ? unknown
        : never;

/** A column's value: its SQL type's, or null unless the column is NOT NULL. */
export type ColumnValue<Type extends string> = Type extends `${infer Base} NOT NULL` ? SqlValue<Base> : SqlValue<Type> | null;

/** One row of a table as a projection writes it: every declared column, no other key. */
export type RowOf<Table extends TableDefinition> = { [Column in Table['columns'][number] as Column[0]]: ColumnValue<Column[1]> };

/** A SQL string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** An SQL type without its NOT NULL: what a column list of a record (`AS x(…)`) or a cast takes. */
export function baseType(type: string): string {
  return type.replace(/ NOT NULL$/, '');
}

/**
 * The column list of a record with some of a table's columns and their declared types, for
 * `jsonb_to_recordset(…) AS x(<list>)`: the types come from the declaration, never retyped.
 */
export function recordColumns<Table extends TableDefinition>(table: Table, names: ReadonlyArray<ColumnName<Table>>): string {
  return names
    .map((name) => {
      const column = table.columns.find(([declared]) => declared === name);
      if (!column) throw new Error(`table ${table.name} has no column ${name}`);
      return `${name} ${baseType(column[1])}`;
    })
    .join(', ');
}

/** COMMENT ON the table and each of its columns, from the declaration. */
function commentSql(table: TableDefinition, physical: string): string[] {
  return [
    `COMMENT ON TABLE ${physical} IS ${quoteLiteral(table.comment)}`,
    ...table.columns.map(([name, , comment]) => `COMMENT ON COLUMN ${physical}.${name} IS ${quoteLiteral(comment)}`),
  ];
}

/** DDL for one table under a physical name, with its comments, indexes and any CHECK constraints. */
export function createTableSql(table: TableDefinition, physical: string, checks: string[] = []): string[] {
  const safe = physical.replace(/[^a-z0-9_.]/g, '');
  const indexBase = safe.replace(/\./g, '_');
  const definitions = [
    ...table.columns.map(([name, type]) => `${name} ${type}`),
    `PRIMARY KEY (${table.primaryKey.join(', ')})`,
    ...checks,
  ];
  return [
    `CREATE TABLE ${safe} (${definitions.join(', ')})`,
    ...commentSql(table, safe),
    ...table.indexes.map((index) => {
      const { columns, include, where }: IndexDefinition = isColumnList(index) ? { columns: index } : index;
      const name = `${indexBase}_${columns.join('_')}${include ? '_covering' : ''}${where ? '_partial' : ''}_idx`;
      const covering = include ? ` INCLUDE (${include.join(', ')})` : '';
      const partial = where ? ` WHERE ${where}` : '';
      return `CREATE INDEX ${name} ON ${safe} (${columns.join(', ')})${covering}${partial}`;
    }),
  ];
}

function isColumnList(index: ReadonlyArray<string> | IndexDefinition): index is ReadonlyArray<string> {
  return Array.isArray(index);
}
