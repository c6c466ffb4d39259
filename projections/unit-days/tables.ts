import type { ProjectionTable } from '#read-model/projections/projection.js';
import { createTableSql, defineTable, quoteLiteral, type ColumnName } from '#read-model/projections/table-definition.js';
import type { UnitDayMeasure } from './unit-day-changes.js';

/**
 * The tables of the `unit_days` projection (README.md beside this file). Physical names come
 * from the engine (`projections.<table>_v<version>`); analysts read `analytics.<table>`.
 */

const CHANGE_NOTE =
  'Change of the value at the end of this local day against the end of the day before; ' +
  'the value at the end of day D is the sum of the changes of the days up to D (a window sum: see README).';

export const UNIT_DAYS = defineTable({
  name: 'unit_days',
  comment:
    'Daily series per unit in the zone of unit_days_zone: the day’s flows (opened, closed) and, as changes, ' +
    'the backlog at the end of each day (KPIS.md "Backlog"). A row exists only where some figure is not zero; ' +
    'the end-of-day values of a day without a row are those of the day before.',
  primaryKey: ['unit_id', 'day'],
  indexes: [['day']],
  columns: [
    ['unit_id', 'text NOT NULL', 'The unit.'],
    ['day', 'date NOT NULL', 'The local day (unit_days_zone); it ends at the next local midnight.'],
    ['opened', 'integer NOT NULL', 'Tickets opened into the unit this day (TicketOpened unitId, its occurredAt in this day).'],
    [
      'closed',
      'integer NOT NULL',
      'Closes by the unit this day: TicketClosed events whose closing unit is this unit, occurredAt in this day; ' +
        'a ticket closed, reopened and closed again counts each close.',
    ],
    [
      'backlog_change',
      'integer NOT NULL',
      `Backlog (tickets opened, their latest cycle not closed, held by this unit in its pool or by a user, on hold included). ` +
        `${CHANGE_NOTE}`,
    ],
    [
      'over_target_change',
      'integer NOT NULL',
      `Over-target backlog (backlog tickets whose cycle’s resolution phase was delayed at the end of the day: its due time, ` +
        `as it stood then, before the resolution clock, which a hold stops at its start). ${CHANGE_NOTE}`,
    ],
    ['aged_lt1d_change', 'integer NOT NULL', `Backlog aged under 1 day (86,400 s) since the original opening. ${CHANGE_NOTE}`],
    ['aged_1to3d_change', 'integer NOT NULL', `Backlog aged at least 1 and under 3 days. ${CHANGE_NOTE}`],
    ['aged_3to7d_change', 'integer NOT NULL', `Backlog aged at least 3 and under 7 days. ${CHANGE_NOTE}`],
    ['aged_ge7d_change', 'integer NOT NULL', `Backlog aged 7 days or more. ${CHANGE_NOTE}`],
  ],
});

/** A column of unit_days that holds a figure (every column but the key). */
export type UnitDayFigureColumn = Exclude<ColumnName<typeof UNIT_DAYS>, 'unit_id' | 'day'>;

/** The unit_days column of each figure. */
export const UNIT_DAY_COLUMNS: Readonly<Record<UnitDayMeasure, UnitDayFigureColumn>> = {
  opened: 'opened',
  closed: 'closed',
  backlog: 'backlog_change',
  over_target: 'over_target_change',
  aged_lt1d: 'aged_lt1d_change',
  aged_1to3d: 'aged_1to3d_change',
  aged_3to7d: 'aged_3to7d_change',
  aged_ge7d: 'aged_ge7d_change',
};

/** The physical name of one of the projection's tables, by its base name. */
export type UnitDaysTable = (name: 'unit_days' | 'unit_day_changes' | 'unit_day_units' | 'unit_day_tickets' | 'unit_days_zone') => string;

const INSTANT_NOTE = 'Change at this instant (see the table comment).';

export const UNIT_DAY_CHANGES = defineTable({
  name: 'unit_day_changes',
  comment:
    'The changes behind the backlog columns of unit_days, at their instants: a change counts at every instant t ≥ at (inclusive) ' +
    'or t > at (not inclusive), and belongs to the day whose end is the first one it counts at. ' +
    'The backlog at an instant t of day D is the sum of unit_days’ changes over the days before D plus the changes of day D that ' +
    'count at t: the value of a day still running at a report’s asOf.',
  primaryKey: ['day', 'unit_id', 'at', 'inclusive'],
  indexes: [],
  columns: [
    ['day', 'date NOT NULL', 'The local day (unit_days_zone) whose end is the first one the change counts at.'],
    ['unit_id', 'text NOT NULL', 'The unit.'],
    ['at', 'timestamptz NOT NULL', 'The instant from which the change counts.'],
    [
      'inclusive',
      'boolean NOT NULL',
      'true: it counts at `at` itself (a span starting then, an age reached then); false: only after it (a due time passing).',
    ],
    ['backlog_change', 'integer NOT NULL', `Backlog. ${INSTANT_NOTE}`],
    ['over_target_change', 'integer NOT NULL', `Over-target backlog. ${INSTANT_NOTE}`],
    ['aged_lt1d_change', 'integer NOT NULL', `Backlog aged under 1 day. ${INSTANT_NOTE}`],
    ['aged_1to3d_change', 'integer NOT NULL', `Backlog aged at least 1 and under 3 days. ${INSTANT_NOTE}`],
    ['aged_3to7d_change', 'integer NOT NULL', `Backlog aged at least 3 and under 7 days. ${INSTANT_NOTE}`],
    ['aged_ge7d_change', 'integer NOT NULL', `Backlog aged 7 days or more. ${INSTANT_NOTE}`],
  ],
});

export const UNIT_DAY_UNITS = defineTable({
  name: 'unit_day_units',
  comment:
    'Every unit a ticket has had a stint with, and when the first such stint started: the units a backlog series lists as of an instant.',
  primaryKey: ['unit_id'],
  indexes: [],
  columns: [
    ['unit_id', 'text NOT NULL', 'The unit.'],
    ['first_stint_at', 'timestamptz NOT NULL', 'Start of the earliest stint with the unit (opened, routed or reopened into it).'],
  ],
});

export const UNIT_DAY_TICKETS = defineTable({
  name: 'unit_day_tickets',
  comment:
    'Internal state of the unit_days projection: each ticket’s folded history (projections/tickets/ticket-history.ts), ' +
    'from which its contributions to unit_days are computed; a new event subtracts the old ones and adds the new. ' +
    'Not meant for reports.',
  primaryKey: ['ticket_id'],
  indexes: [],
  columns: [
    ['ticket_id', 'uuid NOT NULL', 'The ticket (its stream is ticket-<ticket_id>).'],
    ['revision', 'integer NOT NULL', 'Revision of the last event folded; older events are ignored on replay.'],
    // json, not jsonb: it is only ever read back whole, and json's input only validates the text where
    // jsonb's parses and re-encodes it (the largest PostgreSQL cost of storing it in a rebuild).
    [
      'history',
      'json NOT NULL',
      'The folded history, without the parts the series does not use (responses, delays, surveys, marks, classifications).',
    ],
  ],
});

export const UNIT_DAYS_ZONE = defineTable({
  name: 'unit_days_zone',
  comment:
    'One row: the time zone whose local days unit_days is built in, fixed when this version’s tables were created. ' +
    'Reports use unit_days only for requests in this zone; another REPORTING_TIME_ZONE takes effect after `cli rebuild unit_days`.',
  primaryKey: ['time_zone'],
  indexes: [],
  columns: [['time_zone', 'text NOT NULL', 'IANA time zone name, as configured (REPORTING_TIME_ZONE) when the version was created.']],
});

/**
 * The projection's tables, `prefix` before each name (specs run several instances in one
 * database). The zone table gets its one row when it is created, so a version's zone is fixed
 * with its tables; PostgreSQL checks that it knows the zone.
 */
export function unitDaysTables(timeZone: string, prefix = ''): ProjectionTable[] {
  return [
    { name: `${prefix}${UNIT_DAYS.name}`, create: (physical) => createTableSql(UNIT_DAYS, physical) },
    { name: `${prefix}${UNIT_DAY_CHANGES.name}`, create: (physical) => createTableSql(UNIT_DAY_CHANGES, physical) },
    { name: `${prefix}${UNIT_DAY_UNITS.name}`, create: (physical) => createTableSql(UNIT_DAY_UNITS, physical) },
    { name: `${prefix}${UNIT_DAY_TICKETS.name}`, create: (physical) => createTableSql(UNIT_DAY_TICKETS, physical) },
    {
      name: `${prefix}${UNIT_DAYS_ZONE.name}`,
      create: (physical) => [
        // AT TIME ZONE fails on a zone PostgreSQL does not know: the version is then not created.
        ...createTableSql(UNIT_DAYS_ZONE, physical, [`CHECK ((timestamptz '2000-01-01 00:00Z' AT TIME ZONE time_zone) IS NOT NULL)`]),
        `INSERT INTO ${physical.replace(/[^a-z0-9_.]/g, '')} (time_zone) VALUES (${quoteLiteral(timeZone)})`,
      ],
    },
  ];
}
