import type pg from 'pg';
import { copyRows } from '#read-model/postgres/copy-rows.js';
import { TICKET_TABLES, type TicketRows } from './tables.js';

/**
 * Writes the rows of tickets that have none in this version yet (the per-stream rebuild):
 * one `COPY` per table instead of `writeTicketRows`' jsonb INSERTs. A ticket written twice
 * fails on the primary key, as the INSERT would.
 */
export async function copyTicketRows(client: pg.ClientBase, physical: (table: string) => string, tickets: TicketRows[]): Promise<void> {
  for (const table of TICKET_TABLES) {
    const rows = tickets.flatMap((t): readonly object[] => t[table.name]);
    if (rows.length > 0) await copyRows(client, physical(table.name), table, rows);
  }
}
