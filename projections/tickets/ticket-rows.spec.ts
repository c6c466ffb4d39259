import { describe, expect, it } from '@jest/globals';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { TICKET_TABLES, type TicketRows } from './tables.js';
import { ticketHistory } from './ticket-history.js';
import { ticketRows } from './ticket-rows.js';

describe('a ticket’s rows', () => {
  const rows = [...replayThroughDomain(loadGoldenCommands()).values()].map((events) => {
    const history = ticketHistory(events);
    if (!history) throw new Error('empty stream');
    return ticketRows(history);
  });

  it('hold exactly the declared columns of each table, in golden-small, which fills every table', () => {
    for (const table of TICKET_TABLES) {
      const written = rows.flatMap((ticket): readonly object[] => ticket[table.name]);
      const declared = table.columns.map(([name]) => name).sort();
      expect({ table: table.name, some: written.length > 0 }).toEqual({ table: table.name, some: true });
      for (const row of written)
        expect({ table: table.name, keys: Object.keys(row).sort() }).toEqual({ table: table.name, keys: declared });
    }
  });

  it('are typed by the declarations: a row builder with a misspelt, missing or mistyped column does not compile', () => {
    const [ticket] = rows;
    const reopening = { ticket_id: ticket.tickets[0].ticket_id, cycle: 2, reopened_at: '2026-11-20T09:00:00.000Z', unit_id: 'billing' };
    const reopenings: TicketRows['reopenings'] = [reopening];
    const misspelt: TicketRows['reopenings'] = [
      // @ts-expect-error: `reopend_at` is not a column (jsonb_populate_recordset would leave reopened_at NULL)
      { ticket_id: reopening.ticket_id, cycle: 2, reopend_at: reopening.reopened_at, unit_id: 'billing' },
    ];
    // @ts-expect-error: reopened_at is left out
    const missing: TicketRows['reopenings'] = [{ ticket_id: reopening.ticket_id, cycle: 2, unit_id: 'billing' }];
    // @ts-expect-error: unit_id is NOT NULL
    const nulled: TicketRows['reopenings'] = [{ ...reopening, unit_id: null }];
    // @ts-expect-error: cycle is an integer
    const mistyped: TicketRows['reopenings'] = [{ ...reopening, cycle: '2' }];
    expect([reopenings, misspelt, missing, nulled, mistyped].map((list) => list.length)).toEqual([1, 1, 1, 1, 1]);
  });
});
