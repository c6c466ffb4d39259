import { createHash } from 'node:crypto';
import type pg from 'pg';
import { recordColumns, type RowOf } from '#read-model/projections/table-definition.js';
import type { TicketHistory } from '../tickets/ticket-history.js';
import { UNIT_DAY_MEASURES, type UnitDayChange, type UnitFirstStint } from './unit-day-changes.js';
import {
  UNIT_DAY_CHANGES,
  UNIT_DAY_COLUMNS,
  UNIT_DAY_TICKETS,
  UNIT_DAY_UNITS,
  UNIT_DAYS,
  type UnitDayFigureColumn,
  type UnitDaysTable,
} from './tables.js';

/** A ticket as the unit_days projection keeps it (a unit_day_tickets row): its folded history at a revision. */
export interface UnitDayTicket {
  ticketId: string;
  revision: number;
  history: TicketHistory;
}

export interface UnitDaysWrite {
  /** the zone of the version's rows (unit_days_zone) */
  timeZone: string;
  tickets: UnitDayTicket[];
  /** the batch's changes to the series, not yet netted across tickets */
  changes: UnitDayChange[];
  units: UnitFirstStint[];
}

const FIGURES = UNIT_DAY_MEASURES.map((measure) => UNIT_DAY_COLUMNS[measure]);
/** The figures of a stock (the backlog and its parts), which unit_day_changes keeps at their instants. */
const STOCKS = FIGURES.filter((column) => column.endsWith('_change'));
const allZero = (alias: string, columns: readonly string[] = FIGURES) => columns.map((column) => `${alias}.${column} = 0`).join(' AND ');

/**
 * One statement per batch (one round trip, which is what batch size 1 costs most). The
 * changes travel as instants; PostgreSQL puts each on its local day with the expressions of
 * the query-time backlog SQL, so both agree on every zone's midnights (and on PostgreSQL's
 * time-zone data, which may differ from Node's). A (unit, day) row, and a (unit, instant) row
 * of the stock changes, is rewritten with its new totals and deleted when they are all zero,
 * so the rows depend only on the tickets' histories: batch size 1, 1,000 and a rebuild leave
 * identical tables.
 */
function writeSql(table: UnitDaysTable): string {
  const days = table('unit_days');
  const instants = table('unit_day_changes');
  const units = table('unit_day_units');
  const tickets = table('unit_day_tickets');
  const list = FIGURES.join(', ');
  return `WITH written_tickets AS (
  INSERT INTO ${tickets} (ticket_id, revision, history)
  SELECT x.ticket_id, x.revision, x.history
    FROM jsonb_to_recordset($1::jsonb) AS x(${recordColumns(UNIT_DAY_TICKETS, ['ticket_id', 'revision', 'history'])})
  ON CONFLICT (ticket_id) DO UPDATE SET revision = excluded.revision, history = excluded.history
),
written_units AS (
  INSERT INTO ${units} (unit_id, first_stint_at)
  SELECT x.unit_id, min(x.first_stint_at)
    FROM jsonb_to_recordset($2::jsonb) AS x(${recordColumns(UNIT_DAY_UNITS, ['unit_id', 'first_stint_at'])})
   GROUP BY x.unit_id
  ON CONFLICT (unit_id) DO UPDATE SET first_stint_at = least(${units}.first_stint_at, excluded.first_stint_at)
),
-- A change belongs to the day whose end is the first end of day at or after its instant
-- (inclusive: the local day of the instant less 1 µs, so a midnight counts for the day it
-- ends) or strictly after it (the local day of the instant).
changes AS (
  SELECT x.unit_id, x.at, x.inclusive,
         CASE WHEN x.inclusive THEN ((x.at - interval '1 microsecond') AT TIME ZONE $4::text)::date
              ELSE (x.at AT TIME ZONE $4::text)::date END AS day,
         ${FIGURES.map((column) => `x.${column}`).join(', ')}
    FROM jsonb_to_recordset($3::jsonb)
      AS x(${recordColumns(UNIT_DAY_CHANGES, ['unit_id', 'at', 'inclusive'])}, ${recordColumns(UNIT_DAYS, FIGURES)})
),
summed AS (
  SELECT unit_id, day, ${FIGURES.map((column) => `coalesce(sum(${column}), 0) AS ${column}`).join(', ')}
    FROM changes GROUP BY unit_id, day
),
merged AS (
  SELECT s.unit_id, s.day, ${FIGURES.map((column) => `coalesce(d.${column}, 0) + s.${column} AS ${column}`).join(', ')}
    FROM summed s LEFT JOIN ${days} d ON d.unit_id = s.unit_id AND d.day = s.day
),
emptied AS (
  DELETE FROM ${days} d USING merged m WHERE d.unit_id = m.unit_id AND d.day = m.day AND ${allZero('m')}
),
written_days AS (
  INSERT INTO ${days} (unit_id, day, ${list})
  SELECT m.unit_id, m.day, ${FIGURES.map((column) => `m.${column}`).join(', ')} FROM merged m WHERE NOT (${allZero('m')})
  ON CONFLICT (unit_id, day) DO UPDATE SET ${FIGURES.map((column) => `${column} = excluded.${column}`).join(', ')}
),
-- The same for the stock changes at their instants.
instants_summed AS (
  SELECT day, unit_id, at, inclusive, ${STOCKS.map((column) => `coalesce(sum(${column}), 0) AS ${column}`).join(', ')}
    FROM changes GROUP BY day, unit_id, at, inclusive
),
instants_merged AS (
  SELECT s.day, s.unit_id, s.at, s.inclusive, ${STOCKS.map((column) => `coalesce(i.${column}, 0) + s.${column} AS ${column}`).join(', ')}
    FROM instants_summed s
    LEFT JOIN ${instants} i ON i.day = s.day AND i.unit_id = s.unit_id AND i.at = s.at AND i.inclusive = s.inclusive
),
instants_emptied AS (
  DELETE FROM ${instants} i USING instants_merged m
   WHERE i.day = m.day AND i.unit_id = m.unit_id AND i.at = m.at AND i.inclusive = m.inclusive AND ${allZero('m', STOCKS)}
),
instants_written AS (
  INSERT INTO ${instants} (day, unit_id, at, inclusive, ${STOCKS.join(', ')})
  SELECT m.day, m.unit_id, m.at, m.inclusive, ${STOCKS.map((column) => `m.${column}`).join(', ')}
    FROM instants_merged m WHERE NOT (${allZero('m', STOCKS)})
  ON CONFLICT (day, unit_id, at, inclusive) DO UPDATE SET ${STOCKS.map((column) => `${column} = excluded.${column}`).join(', ')}
)
SELECT 1`;
}

/** A change row for `jsonb_to_recordset`: a unit, an instant and its bound, and the figures that change there. */
type ChangeRow = Pick<RowOf<typeof UNIT_DAY_CHANGES>, 'unit_id' | 'at' | 'inclusive'> & Partial<Record<UnitDayFigureColumn, number>>;

/** The changes as rows for `jsonb_to_recordset`: one per unit, instant and bound, a column per figure. */
function changeRows(changes: readonly UnitDayChange[]): ChangeRow[] {
  const rows = new Map<string, ChangeRow>();
  for (const change of changes) {
    const key = `${change.unitId}\u0000${change.at}\u0000${change.inclusive ? 1 : 0}`;
    let row = rows.get(key);
    if (!row) {
      row = { unit_id: change.unitId, at: change.at, inclusive: change.inclusive };
      rows.set(key, row);
    }
    const column = UNIT_DAY_COLUMNS[change.measure];
    row[column] = (row[column] ?? 0) + change.delta;
  }
  return [...rows.values()];
}

/**
 * A statement named after its text: PostgreSQL prepares it once per connection and skips
 * planning on every later batch (the write's plan costs about as much as running it for a
 * batch of one event). Each version's tables give a text, hence a name, of their own.
 */
export function prepared(kind: string, text: string): { name: string; text: string } {
  return { name: `unit_days.${kind}.${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
}

const statements = new Map<string, { name: string; text: string }>();

function writeStatement(table: UnitDaysTable): { name: string; text: string } {
  const key = [table('unit_days'), table('unit_day_changes'), table('unit_day_units'), table('unit_day_tickets')].join(' ');
  let statement = statements.get(key);
  if (!statement) {
    statement = prepared('write', writeSql(table));
    statements.set(key, statement);
  }
  return statement;
}

export async function writeUnitDays(client: pg.ClientBase, table: UnitDaysTable, write: UnitDaysWrite): Promise<void> {
  if (write.tickets.length === 0) return;
  await client.query({
    ...writeStatement(table),
    values: [
      JSON.stringify(
        write.tickets.map((t): RowOf<typeof UNIT_DAY_TICKETS> => ({ ticket_id: t.ticketId, revision: t.revision, history: t.history })),
      ),
      JSON.stringify(write.units.map((u): RowOf<typeof UNIT_DAY_UNITS> => ({ unit_id: u.unitId, first_stint_at: u.firstStintAt }))),
      JSON.stringify(changeRows(write.changes)),
      write.timeZone,
    ],
  });
}
