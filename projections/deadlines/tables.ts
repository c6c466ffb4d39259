import type { ProjectionTable } from '#read-model/projections/projection.js';
import { createTableSql, defineTable, type RowOf, type TableDefinition } from '#read-model/projections/table-definition.js';

/**
 * The tables of the `deadlines` projection (issue 11): every ticket's open deadlines, which the
 * SLA watchdog scans by due time, and the folded state each ticket's next event is applied to.
 */

export const OPEN_DEADLINES = defineTable({
  name: 'open_deadlines',
  comment:
    'The phase instances of open tickets that can still become late: at most one per ticket and phase. ' +
    'A row goes when the phase completes, is delayed, or a hold stops its clock; the SLA watchdog writes TicketDelayed once due_at passes.',
  primaryKey: ['ticket_id', 'phase'],
  indexes: [['due_at']],
  columns: [
    ['ticket_id', 'text NOT NULL', 'The ticket (its stream is ticket-<ticket_id>).'],
    ['phase', 'text NOT NULL', 'claim, response or resolution.'],
    [
      'instance',
      'text NOT NULL',
      'Which instance of the phase: for claim the pool wait’s start (ISO-8601), for response and resolution the cycle number.',
    ],
    ['due_at', 'timestamptz NOT NULL', 'When the phase becomes late unless it completes first (the due time the ticket’s events set).'],
  ],
});

export const DEADLINE_TICKETS = defineTable({
  name: 'deadline_tickets',
  comment: 'Bookkeeping of the deadlines projection: each ticket’s state folded from its stream, which its next event applies to.',
  primaryKey: ['ticket_id'],
  indexes: [],
  columns: [
    ['ticket_id', 'text NOT NULL', 'The ticket (its stream is ticket-<ticket_id>).'],
    ['revision', 'integer NOT NULL', 'Revision of the last event folded into state (0-based).'],
    ['state', 'jsonb NOT NULL', 'The ticket’s state (TicketState of libs/ticketing) after that event.'],
  ],
});

export const DEADLINE_TABLES: readonly TableDefinition[] = [OPEN_DEADLINES, DEADLINE_TICKETS];

export type DeadlinesTableName = (typeof OPEN_DEADLINES | typeof DEADLINE_TICKETS)['name'];
export type OpenDeadlineRow = RowOf<typeof OPEN_DEADLINES>;

export function deadlinesTables(prefix = ''): ProjectionTable[] {
  return DEADLINE_TABLES.map((table) => ({ name: `${prefix}${table.name}`, create: (physical) => createTableSql(table, physical) }));
}
