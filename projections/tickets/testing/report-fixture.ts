import pg from 'pg';
import { decide, evolve, initialState, type SlaCatalogue, type TicketCommand, type TicketEvent, type TicketState } from '#ticketing';
import { createTableSql, TICKET_TABLES } from '#projections/tickets/tables.js';
import { ticketHistory } from '#projections/tickets/ticket-history.js';
import { ticketRows } from '#projections/tickets/ticket-rows.js';
import { writeTicketRows } from '#projections/tickets/write-ticket-rows.js';

/** One command of a hand-built ticket, at the instant it happens. */
export interface FixtureStep {
  at: string;
  command: TicketCommand;
}

/**
 * A ticket's stream from its commands, through the domain's decide/evolve (a refusal throws),
 * under the built-in policy or the SLA lookups given (e.g. none, as an import without targets).
 */
export function ticketStream(ticketId: string, steps: FixtureStep[], sla?: SlaCatalogue): TicketEvent[] {
  let state: TicketState = initialState;
  const events: TicketEvent[] = [];
  for (const step of steps) {
    const result = decide(state, step.command, { at: new Date(step.at).toISOString(), ticketId, ...(sla ? { sla } : {}) });
    if (!Array.isArray(result))
      throw new Error(`${step.command.type} on ${ticketId} at ${step.at} refused: ${result.code} ${result.message}`);
    state = result.reduce(evolve, state);
    events.push(...result);
  }
  return events;
}

/**
 * Creates `analytics.<table>` (plain tables here, as in golden-tables.ts) and writes the
 * tickets' rows as the projection does: history fold, rows, writer.
 */
export async function writeFixtureTables(url: string, streams: TicketEvent[][]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE SCHEMA IF NOT EXISTS analytics');
    for (const table of TICKET_TABLES) for (const sql of createTableSql(table, `analytics.${table.name}`)) await client.query(sql);
    const rows = streams.map((events) => {
      const history = ticketHistory(events);
      if (!history) throw new Error('a fixture ticket has no events');
      return ticketRows(history);
    });
    await writeTicketRows(client, (name) => `analytics.${name}`, rows);
  } finally {
    await client.end();
  }
}
