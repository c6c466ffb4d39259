import type pg from 'pg';
import { TICKET_TABLES, type TableDefinition, type TicketRows } from './tables.js';

/**
 * Writes the rows of the given tickets into every table in ONE statement (one round trip per
 * batch, which is what batch size 1 costs most). A ticket's history only grows, so every row
 * key it had stays: each table is an upsert on its primary key. Rows travel as one jsonb
 * array per table, expanded by `jsonb_populate_recordset` against the table's own row type.
 */
function upsert(table: TableDefinition, physical: string, parameter: number, mode: WriteMode): string {
  const insert = `INSERT INTO ${physical} SELECT * FROM jsonb_populate_recordset(NULL::${physical}, $${parameter}::jsonb)`;
  if (mode === 'insert') return insert;
  const keys = new Set(table.primaryKey);
  const updates = table.columns.map(([name]) => name).filter((name) => !keys.has(name));
  const action = updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.map((name) => `${name} = excluded.${name}`).join(', ')}`;
  const onConflict = `ON CONFLICT (${table.primaryKey.join(', ')}) ${action}`;
  return `${insert} ${onConflict}`;
}

/** `upsert`: rows of tickets that may have rows already; `insert`: of tickets that have none (the per-stream rebuild). */
export type WriteMode = 'upsert' | 'insert';

export async function writeTicketRows(
  client: pg.ClientBase,
  physical: (table: string) => string,
  tickets: TicketRows[],
  mode: WriteMode = 'upsert',
): Promise<void> {
  const parts: string[] = [];
  const values: string[] = [];
  for (const table of TICKET_TABLES) {
    const rows = tickets.flatMap((t): readonly object[] => t[table.name]);
    if (rows.length === 0) continue;
    values.push(JSON.stringify(rows));
    parts.push(`w${values.length} AS (${upsert(table, physical(table.name), values.length, mode)})`);
  }
  if (parts.length === 0) return;
  await client.query(`WITH ${parts.join(',\n')} SELECT 1`, values);
}

/**
 * The rows of `after` that `before` does not hold as they are: new rows and rows whose values
 * changed. A ticket's history only grows, so no row of `before` disappears; the rows it holds
 * unchanged need no write. With `before` the rows of the stored history (what was written for
 * it, calendars never change), writing only these leaves the same tables as writing all of
 * `after`, for far fewer rows when a batch adds one event to a ticket (batch size 1).
 */
export function changedRows(before: TicketRows, after: TicketRows): TicketRows {
  const changed: Record<string, readonly object[]> = {};
  for (const table of TICKET_TABLES) {
    const old: readonly object[] = before[table.name];
    const rows: readonly object[] = after[table.name];
    if (old.length === 0) {
      changed[table.name] = rows;
      continue;
    }
    const kept = new Set(old.map((row) => JSON.stringify(row)));
    changed[table.name] = rows.filter((row) => !kept.has(JSON.stringify(row)));
  }
  return changed as TicketRows;
}
