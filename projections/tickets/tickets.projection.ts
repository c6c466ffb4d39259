import type { Projection } from '#read-model/projections/projection.js';
import { TICKET_EVENT_TYPES, TICKET_STREAM_PREFIX } from '#ticketing';
import { applyTicketEvents, applyTicketStreams } from './apply-ticket-events.js';
import { CALENDAR_DEFINED } from './calendar-versions.js';
import { CALENDAR_VERSIONS, createTableSql, TICKET_TABLES } from './tables.js';

export interface TicketsProjectionOptions {
  name?: string;
  version?: number;
  /** Prefixes every table name, so several instances can live in one database (specs). */
  tablePrefix?: string;
}

/**
 * The tickets projection: every ticket's history as rows with instants (tables.ts), the read
 * model behind the KPI reports, and the calendar versions its business measures run in. A
 * batch folds each touched ticket's stored history forward, so the live path (small batches)
 * and the bulk path (large ones) run the same code; a rebuild folds each ticket's stream whole
 * once and inserts its rows (the per-stream path), the calendar versions going first through `handle`.
 */
export function createTicketsProjection(options: TicketsProjectionOptions = {}): Projection {
  const prefix = options.tablePrefix ?? '';
  const apply: Projection['handle'] = async (batch, context) => {
    await applyTicketEvents(context.client, (name) => context.table(`${prefix}${name}`), batch);
  };
  return {
    name: options.name ?? 'tickets',
    // 4: the business measures (*_business_s), the cycles' clocks and the calendar_versions table.
    // 5: the settled ticket state on pool waits, stints and surveys too, and the reports' covering indexes.
    // 6: tickets.response_targeted and sla_targeted, so the KPI summary's settled tickets need no cycles lookup.
    // 7: ticket_histories.history as json (tables.ts), cheaper to store in a rebuild.
    version: options.version ?? 7,
    eventTypes: [...TICKET_EVENT_TYPES, CALENDAR_DEFINED],
    tables: [...TICKET_TABLES, CALENDAR_VERSIONS].map((table) => ({
      name: `${prefix}${table.name}`,
      create: (physical: string) => createTableSql(table, physical),
    })),
    handle: apply,
    rebuild: { batchSize: 10_000, handle: apply },
    perStream: {
      streamPrefix: TICKET_STREAM_PREFIX,
      handleStreams: async (streams, context) => {
        await applyTicketStreams(context.client, (name) => context.table(`${prefix}${name}`), streams);
      },
    },
  };
}

export const ticketsProjection: Projection = createTicketsProjection();
