import { createHash } from 'node:crypto';
import type pg from 'pg';
import { TICKET_TABLES, type TableDefinition, type TicketRows } from './tables.js';

/**
 * Writes the rows of the given tickets into every table in ONE statement (one round trip per
 * batch, which is what batch size 1 costs most). A ticket's history only grows, so every row
 * key it had stays: each table is an upsert on its primary key. Rows travel as one jsonb
 * array per table, expanded by `jsonb_populate_recordset` against the table's own row type.
 */
function upsert(table: TableDefinition, physical: string, parameter: number): string {
  const insert = `INSERT INTO ${physical} SELECT * FROM jsonb_populate_recordset(NULL::${physical}, $${parameter}::jsonb)`;
  const keys = new Set(table.primaryKey);
  const updates = table.columns.map(([name]) => name).filter((name) => !keys.has(name));
  const action = updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.map((name) => `${name} = excluded.${name}`).join(', ')}`;
  const onConflict = `ON CONFLICT (${table.primaryKey.join(', ')}) ${action}`;
  return `${insert} ${onConflict}`;
}

/**
 * The statement writing every table, and its prepared-statement name. Every table is in it,
 * with an empty array when a batch has no rows for it, so that one text (per physical table
 * set) serves every batch: PostgreSQL parses and plans its sixteen CTEs once per
 * connection instead of once per batch, which at batch size 1 was about half of the write's cost.
 */
function statementFor(physical: (table: string) => string): { name: string; text: string } {
  const parts = TICKET_TABLES.map((table, i) => `w${i + 1} AS (${upsert(table, physical(table.name), i + 1)})`);
  const text = `WITH ${parts.join(',\n')} SELECT 1`;
  return { name: `ticket-rows-${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
}

/** The statements already built, by the tables' physical names (a handful per process). */
const statements = new Map<string, { name: string; text: string }>();

export async function writeTicketRows(client: pg.ClientBase, physical: (table: string) => string, tickets: TicketRows[]): Promise<void> {
  const values = TICKET_TABLES.map((table) => tickets.flatMap((t): readonly object[] => t[table.name]));
  if (values.every((rows) => rows.length === 0)) return;
  const key = TICKET_TABLES.map((table) => physical(table.name)).join(' ');
  let statement = statements.get(key);
  if (!statement) {
    statement = statementFor(physical);
    statements.set(key, statement);
  }
  await client.query({ ...statement, values: values.map((rows) => JSON.stringify(rows)) });
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
