import type { Projection } from '#read-model/projections/projection.js';
import { TICKET_EVENT_TYPES, TICKET_STREAM_PREFIX } from '#ticketing';
import { applyDeadlineEvents, applyDeadlineStreams, type DeadlinesTable } from './apply-deadline-events.js';
import { deadlinesTables } from './tables.js';

export interface DeadlinesProjectionOptions {
  name?: string;
  /** Prefixes every table name, so several instances can live in one database (specs). */
  tablePrefix?: string;
}

/**
 * The open deadlines of every ticket (tables.ts), which the SLA watchdog scans for due times that
 * passed (issue 11). Keeps its own folded state per ticket, so it runs independently of the
 * tickets projection.
 */
export function createDeadlinesProjection(options: DeadlinesProjectionOptions = {}): Projection {
  const prefix = options.tablePrefix ?? '';
  const apply: Projection['handle'] = async (batch, context) => {
    const table: DeadlinesTable = (name) => context.table(`${prefix}${name}`);
    await applyDeadlineEvents(context.client, table, batch);
  };
  return {
    name: options.name ?? 'deadlines',
    // 2: warnings (a kind column, the calendars); the state's shape grew too, so every row is rebuilt.
    // 3: deadline_tickets.state as json (tables.ts), cheaper to store in a rebuild.
    version: 3,
    // Every ticket event: the fold needs each stream whole, in revision order; calendars for warnings in business time.
    eventTypes: [...TICKET_EVENT_TYPES, 'CalendarDefined'],
    tables: deadlinesTables(prefix),
    handle: apply,
    rebuild: { batchSize: 10_000, handle: apply },
    perStream: {
      streamPrefix: TICKET_STREAM_PREFIX,
      handleStreams: async (streams, context) => {
        const table: DeadlinesTable = (name) => context.table(`${prefix}${name}`);
        await applyDeadlineStreams(context.client, table, streams);
      },
    },
  };
}
