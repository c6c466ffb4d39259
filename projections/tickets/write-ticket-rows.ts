import type pg from 'pg';
import { TICKET_TABLES } from './tables.js';
import type { TicketRows } from './ticket-rows.js';

/**
 * Replaces the rows of the given tickets in every table: a ticket's rows are a function of
 * its history, so a delete and insert per batch is idempotent. Rows travel as one jsonb
 * array per table and are expanded by `jsonb_populate_recordset` against the table's own row
 * type: one statement per table whatever the batch size.
 */
export async function writeTicketRows(client: pg.ClientBase, physical: (table: string) => string, tickets: TicketRows[]): Promise<void> {
  if (tickets.length === 0) return;
  const ids = tickets.map((t) => t.tickets[0].ticket_id);
  for (const table of TICKET_TABLES) {
    const name = physical(table.name);
    await client.query(`DELETE FROM ${name} WHERE ticket_id = ANY($1::uuid[])`, [ids]);
    const rows = tickets.flatMap((t) => t[table.name] ?? []);
    if (rows.length === 0) continue;
    await client.query(`INSERT INTO ${name} SELECT * FROM jsonb_populate_recordset(NULL::${name}, $1::jsonb)`, [JSON.stringify(rows)]);
  }
}
