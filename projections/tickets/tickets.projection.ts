import type { Projection } from '../../libs/read-model/src/projections/projection.js';
import { TICKET_EVENT_TYPES } from '../../libs/ticketing/src/index.js';
import { applyTicketEvents } from './apply-ticket-events.js';
import { createTableSql, TICKET_TABLES } from './tables.js';

/**
 * The tickets projection: every ticket's history as rows with instants (tables.ts), the read
 * model behind the KPI reports. A batch folds each touched ticket's stored history forward, so
 * the live path (small batches) and the bulk path (large ones) run the same code.
 */
export const ticketsProjection: Projection = {
  name: 'tickets',
  version: 1,
  eventTypes: [...TICKET_EVENT_TYPES],
  tables: TICKET_TABLES.map((table) => ({ name: table.name, create: (physical: string) => createTableSql(table, physical) })),
  handle: async (batch, context) => {
    await applyTicketEvents(context.client, (name) => context.table(name), batch);
  },
  rebuild: {
    batchSize: 10_000,
    handle: async (batch, context) => {
      await applyTicketEvents(context.client, (name) => context.table(name), batch);
    },
  },
};
