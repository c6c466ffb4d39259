import type { ProjectionTable } from '#read-model/projections/projection.js';
import { createTableSql, defineTable, type RowOf, type TableDefinition } from '#read-model/projections/table-definition.js';

/**
 * The tables of the `deadlines` projection (issue 11): every ticket's open deadlines, which the
 * SLA watchdog scans by due time, the folded state each ticket's next event is applied to, and
 * the calendar versions breach warnings in business time are computed in.
 */

export const OPEN_DEADLINES = defineTable({
  name: 'open_deadlines',
  comment:
    'The instants the SLA watchdog waits on: per ticket and phase, the due of an instance that can still become late (kind delay), ' +
    'its next breach warning (kind warning) and, once late, its next escalation level (kind escalation). ' +
    'A row goes when the phase completes, is delayed, warned or escalated, or a hold stops its clock; ' +
    'the SLA watchdog writes TicketDelayed or TicketBreachWarned once due_at passes.',
  primaryKey: ['ticket_id', 'phase', 'kind'],
  indexes: [['due_at']],
  columns: [
    ['ticket_id', 'text NOT NULL', 'The ticket (its stream is ticket-<ticket_id>).'],
    ['phase', 'text NOT NULL', 'claim, response or resolution.'],
    [
      'kind',
      'text NOT NULL',
      'delay: due_at is the phase’s due time; warning: when its next breach warning falls; escalation: when its next level is due.',
    ],
    [
      'instance',
      'text NOT NULL',
      'Which instance of the phase: for claim the pool wait’s start (ISO-8601), for response and resolution the cycle number.',
    ],
    [
      'due_at',
      'timestamptz NOT NULL',
      'When the watchdog acts: the phase becomes late (delay) or threshold % of its target has elapsed (warning), unless it completes.',
    ],
    ['threshold', 'integer', 'The warning’s percent of the target; null for the other kinds.'],
    ['level', 'integer', 'The escalation’s level (its rule in the ticket’s TicketDelayed); null for the other kinds.'],
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
    // json, not jsonb: it is only ever read back whole, and json's input only validates the text where
    // jsonb's parses and re-encodes it (the largest PostgreSQL cost of storing it in a rebuild).
    ['state', 'json NOT NULL', 'The ticket’s state (TicketState of libs/ticketing) after that event.'],
  ],
});

export const DEADLINE_CALENDARS = defineTable({
  name: 'deadline_calendars',
  comment: 'Bookkeeping of the deadlines projection: every calendar version, from the CalendarDefined events (versions never change).',
  primaryKey: ['version_id'],
  indexes: [],
  columns: [
    ['version_id', 'text NOT NULL', 'The version id clocks record (office@2).'],
    ['definition', 'jsonb NOT NULL', 'The calendar definition of that version (zone, weekly hours, overrides).'],
  ],
});

export const DEADLINE_TABLES: readonly TableDefinition[] = [OPEN_DEADLINES, DEADLINE_TICKETS, DEADLINE_CALENDARS];

export type DeadlinesTableName = (typeof OPEN_DEADLINES | typeof DEADLINE_TICKETS | typeof DEADLINE_CALENDARS)['name'];
export type OpenDeadlineRow = RowOf<typeof OPEN_DEADLINES>;

export function deadlinesTables(prefix = ''): ProjectionTable[] {
  return DEADLINE_TABLES.map((table) => ({ name: `${prefix}${table.name}`, create: (physical) => createTableSql(table, physical) }));
}
