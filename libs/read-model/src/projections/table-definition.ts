/**
 * A projection table declared as data: its columns with their comments, key and indexes, and
 * the DDL for it under the physical name the engine gives (`projections.<table>_v<n>`). The
 * engine refuses a table or column without a comment; declaring them here makes that hard to miss.
 */

/** An index beyond a plain column list: covering (`include`) for index-only scans, or partial (`where`). */
export interface IndexDefinition {
  columns: string[];
  include?: string[];
  where?: string;
}

export interface TableDefinition {
  name: string;
  comment: string;
  columns: Array<[name: string, type: string, comment: string]>;
  primaryKey: string[];
  indexes: Array<string[] | IndexDefinition>;
}

/** A SQL string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** DDL for one table under a physical name, with its comments, indexes and any CHECK constraints. */
export function createTableSql(table: TableDefinition, physical: string, checks: string[] = []): string[] {
  const safe = physical.replace(/[^a-z0-9_.]/g, '');
  const indexBase = safe.replace(/\./g, '_');
  return [
    `CREATE TABLE ${safe} (${[...table.columns.map(([name, type]) => `${name} ${type}`), `PRIMARY KEY (${table.primaryKey.join(', ')})`, ...checks].join(', ')})`,
    `COMMENT ON TABLE ${safe} IS ${quoteLiteral(table.comment)}`,
    ...table.columns.map(([name, , comment]) => `COMMENT ON COLUMN ${safe}.${name} IS ${quoteLiteral(comment)}`),
    ...table.indexes.map((index) => {
      const { columns, include, where } = Array.isArray(index) ? { columns: index } : index;
      const name = `${indexBase}_${columns.join('_')}${include ? '_covering' : ''}${where ? '_partial' : ''}_idx`;
      return `CREATE INDEX ${name} ON ${safe} (${columns.join(', ')})${include ? ` INCLUDE (${include.join(', ')})` : ''}${where ? ` WHERE ${where}` : ''}`;
    }),
  ];
}
