import pg from 'pg';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { createTableSql, TICKET_TABLES } from '../tables.js';
import { ticketHistory } from '../ticket-history.js';
import { ticketRows } from '../ticket-rows.js';
import { writeTicketRows } from '../write-ticket-rows.js';

/**
 * Fills `analytics.<table>` (plain tables here, views over versioned tables in the product)
 * with golden-small replayed through the domain, so report SQL can be specified against
 * expected.json without the projection runner.
 */
export async function loadGoldenTables(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE SCHEMA IF NOT EXISTS analytics');
    for (const table of TICKET_TABLES) for (const sql of createTableSql(table, `analytics.${table.name}`)) await client.query(sql);
    const rows = [...replayThroughDomain(loadGoldenCommands()).values()].map((events) => {
      const history = ticketHistory(events);
      if (!history) throw new Error('empty stream');
      return ticketRows(history);
    });
    await writeTicketRows(client, (name) => `analytics.${name}`, rows);
  } finally {
    await client.end();
  }
}
