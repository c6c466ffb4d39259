import type pg from 'pg';
import type { RecordedEvent } from '#event-store';
import { copyRows } from '#read-model/postgres/copy-rows.js';
import { recordColumns, type RowOf } from '#read-model/projections/table-definition.js';
import { TICKET_STREAM_PREFIX } from '#ticketing';
import { foldNewEvents } from '../tickets/apply-ticket-events.js';
import type { TicketHistory } from '../tickets/ticket-history.js';
import { seriesHistory } from './apply-unit-day-events.js';
import { UNIT_DAY_CHANGES, UNIT_DAY_COLUMNS, UNIT_DAY_TICKETS, UNIT_DAYS, type UnitDayFigureColumn, type UnitDaysTable } from './tables.js';
import { addUnitDayChanges, UNIT_DAY_MEASURES, type UnitDayChangeSink, type UnitDayMeasure } from './unit-day-changes.js';
import { prepared } from './write-unit-days.js';

/**
 * The per-stream path of a rebuild (`Projection.perStream`). Each stream is a ticket's events
 * from revision 0 to the engine's head, and this version holds none of them yet, so each is
 * folded whole in memory and contributes its changes once: no stored history to load, no old
 * contributions to subtract. The chunk's changes are summed in memory per unit, instant and
 * bound, and added to what the tables hold (other chunks' tickets share days and, rarely,
 * instants) — the chunk's transaction and checkpoint make that exactly-once. The rows are those
 * `applyUnitDayEvents` leaves: the same sums, the same days cut by PostgreSQL, all-zero rows
 * deleted. Each history is stored at its last revision, so the live handler that follows from
 * the head skips the events it holds.
 *
 * A COPY of the tickets (a ticket written twice fails the chunk instead of adding its changes
 * twice) and three statements per chunk; the tickets and units are sent before the changes are
 * computed, so PostgreSQL takes in the histories (the bulk of the bytes) while Node works out
 * the changes.
 */
export async function applyUnitDayStreams(
  client: pg.ClientBase,
  table: UnitDaysTable,
  streams: readonly RecordedEvent[][],
): Promise<number> {
  const tickets: Array<RowOf<typeof UNIT_DAY_TICKETS>> = [];
  const histories: TicketHistory[] = [];
  const units = new Map<string, { at: number; iso: string }>();
  let applied = 0;
  for (const events of streams) {
    const first = events[0];
    if (first === undefined) continue;
    if (!first.streamId.startsWith(TICKET_STREAM_PREFIX)) throw new Error(`stream ${first.streamId} is not a ticket stream`);
    const id = first.streamId.slice(TICKET_STREAM_PREFIX.length);
    const folded = foldNewEvents(id, undefined, events);
    if (!folded.history) continue;
    applied += folded.applied;
    const history = seriesHistory(folded.history);
    tickets.push({ ticket_id: id, revision: history.revision, history });
    histories.push(history);
    for (const stint of history.stints) {
      const at = Date.parse(stint.startedAt);
      const known = units.get(stint.unitId);
      if (known === undefined || at < known.at) units.set(stint.unitId, { at, iso: stint.startedAt });
    }
  }
  if (tickets.length === 0) return 0;

  const statements = streamStatements(table);
  // One chain of statements on the client (pg runs a client's queries one at a time, and calling
  // query while one runs is deprecated), started before the changes are summed so that
  // PostgreSQL writes the tickets while Node sums; the handler only keeps an early failure from
  // counting as unhandled meanwhile.
  const written = (async () => {
    const zone = await client.query<{ time_zone: string }>(statements.zone);
    await copyRows(client, table('unit_day_tickets'), UNIT_DAY_TICKETS, tickets);
    await client.query({
      ...statements.units,
      values: [JSON.stringify([...units].map(([unitId, first]) => ({ unit_id: unitId, first_stint_at: first.iso })))],
    });
    return zone.rows[0]?.time_zone;
  })();
  written.catch(() => undefined);

  const rows = new ChunkRows();
  for (const history of histories) addUnitDayChanges(history, rows);
  const changes = rows.json();

  const timeZone = await written;
  if (timeZone === undefined)
    throw new Error(`${table('unit_days_zone')} has no row: the version's tables were not created by this projection`);
  const emptied = (await client.query<EmptiedRow>({ ...statements.changes, values: [changes, timeZone] })).rows;
  // Rows another chunk's changes cancelled out exactly: rare, and deleted as `applyUnitDayEvents` does.
  if (emptied.length > 0) await client.query({ ...statements.deleteEmptied, values: [JSON.stringify(emptied)] });
  return applied;
}

const FIGURES: readonly UnitDayFigureColumn[] = UNIT_DAY_MEASURES.map((measure) => UNIT_DAY_COLUMNS[measure]);
/** The figures of a stock (the backlog and its parts), which unit_day_changes keeps at their instants. */
const STOCKS = FIGURES.filter((column) => column.endsWith('_change'));

const FIGURE_INDEX: Readonly<Record<UnitDayMeasure, number>> = Object.fromEntries(
  UNIT_DAY_MEASURES.map((measure, i) => [measure, i]),
) as Record<UnitDayMeasure, number>;
/** `"<column>":` of each figure, in FIGURES' order, for writing the rows' JSON by hand. */
const FIGURE_KEYS = FIGURES.map((column) => `,${JSON.stringify(column)}:`);

/** One unit's summed changes at one instant and bound: the figures in FIGURES' order. */
interface ChunkRow {
  at: number;
  inclusive: boolean;
  figures: number[];
}

/**
 * A chunk's changes summed per unit, instant and bound, a column per figure. Keyed by unit,
 * then by the instant doubled plus the bound (epoch ms stay exact doubled): a number key, not
 * a string built per change, since a chunk of 1,000 tickets adds some 50,000 changes.
 */
class ChunkRows implements UnitDayChangeSink {
  private readonly units = new Map<string, Map<number, ChunkRow>>();

  add(unitId: string, measure: UnitDayMeasure, at: number, inclusive: boolean, delta: number): void {
    if (at === Number.POSITIVE_INFINITY) return;
    let rows = this.units.get(unitId);
    if (!rows) {
      rows = new Map();
      this.units.set(unitId, rows);
    }
    const key = inclusive ? at * 2 + 1 : at * 2;
    let row = rows.get(key);
    if (!row) {
      row = { at, inclusive, figures: new Array<number>(FIGURES.length).fill(0) };
      rows.set(key, row);
    }
    row.figures[FIGURE_INDEX[measure]] += delta;
  }

  /**
   * The rows with some figure not zero, as the JSON array `jsonb_to_recordset` reads: instants
   * as ISO-8601, zero figures left out (read as null, summed as 0). Written by hand: it is the
   * bulk of what Node does per chunk besides the fold.
   */
  json(): string {
    const parts: string[] = [];
    for (const [unitId, rows] of this.units) {
      const unit = `{"unit_id":${JSON.stringify(unitId)},"at":"`;
      for (const row of rows.values()) {
        let figures = '';
        for (let i = 0; i < FIGURES.length; i++) if (row.figures[i] !== 0) figures += FIGURE_KEYS[i] + String(row.figures[i]);
        if (figures === '') continue;
        parts.push(`${unit}${new Date(row.at).toISOString()}","inclusive":${row.inclusive}${figures}}`);
      }
    }
    return `[${parts.join(',')}]`;
  }
}

/** A unit_days row (no instant) or a unit_day_changes row whose figures the chunk brought to zero. */
interface EmptiedRow {
  unit_id: string;
  day: string;
  at: string | null;
  inclusive: boolean | null;
}

const cache = new Map<string, ReturnType<typeof buildStatements>>();

function streamStatements(table: UnitDaysTable): ReturnType<typeof buildStatements> {
  const key = [
    table('unit_days'),
    table('unit_day_changes'),
    table('unit_day_units'),
    table('unit_day_tickets'),
    table('unit_days_zone'),
  ].join(' ');
  let statements = cache.get(key);
  if (!statements) {
    statements = buildStatements(table);
    cache.set(key, statements);
  }
  return statements;
}

const allZero = (alias: string, columns: readonly string[]) => columns.map((column) => `${alias}.${column} = 0`).join(' AND ');

function buildStatements(table: UnitDaysTable) {
  const days = table('unit_days');
  const instants = table('unit_day_changes');
  const units = table('unit_day_units');
  const sums = (columns: readonly string[]) => columns.map((column) => `sum(${column}) AS ${column}`).join(', ');
  const added = (alias: string, columns: readonly string[]) =>
    columns.map((column) => `${column} = ${alias}.${column} + excluded.${column}`).join(', ');
  return {
    zone: prepared('streams-zone', `SELECT time_zone FROM ${table('unit_days_zone')}`),
    units: prepared(
      'streams-units',
      `INSERT INTO ${units} AS u (unit_id, first_stint_at)
SELECT x.unit_id, x.first_stint_at FROM jsonb_to_recordset($1::jsonb) AS x(unit_id text, first_stint_at timestamptz)
    ON CONFLICT (unit_id) DO UPDATE SET first_stint_at = least(u.first_stint_at, excluded.first_stint_at)`,
    ),
    // The days are cut with the expressions of write-unit-days.ts. New rows are inserted, known
    // ones get the chunk's sums added; those that end all zero come back to be deleted.
    changes: prepared(
      'streams-changes',
      `WITH changes AS (
  SELECT x.unit_id, x.at, x.inclusive,
         CASE WHEN x.inclusive THEN ((x.at - interval '1 microsecond') AT TIME ZONE $2::text)::date
              ELSE (x.at AT TIME ZONE $2::text)::date END AS day,
         ${FIGURES.map((column) => `coalesce(x.${column}, 0) AS ${column}`).join(', ')}
    FROM jsonb_to_recordset($1::jsonb)
      AS x(${recordColumns(UNIT_DAY_CHANGES, ['unit_id', 'at', 'inclusive'])}, ${recordColumns(UNIT_DAYS, FIGURES)})
),
summed AS (
  SELECT unit_id, day, ${sums(FIGURES)} FROM changes GROUP BY unit_id, day
),
written_days AS (
  INSERT INTO ${days} AS d (unit_id, day, ${FIGURES.join(', ')})
  SELECT unit_id, day, ${FIGURES.join(', ')} FROM summed s WHERE NOT (${allZero('s', FIGURES)})
  ON CONFLICT (unit_id, day) DO UPDATE SET ${added('d', FIGURES)}
  RETURNING d.unit_id, d.day, ${allZero('d', FIGURES)} AS emptied
),
written_instants AS (
  INSERT INTO ${instants} AS i (day, unit_id, at, inclusive, ${STOCKS.join(', ')})
  SELECT day, unit_id, at, inclusive, ${STOCKS.join(', ')} FROM changes c WHERE NOT (${allZero('c', STOCKS)})
  ON CONFLICT (day, unit_id, at, inclusive) DO UPDATE SET ${added('i', STOCKS)}
  RETURNING i.day, i.unit_id, i.at, i.inclusive, ${allZero('i', STOCKS)} AS emptied
)
SELECT unit_id, day::text, NULL::text AS at, NULL::boolean AS inclusive FROM written_days WHERE emptied
UNION ALL
SELECT unit_id, day::text, at::text, inclusive FROM written_instants WHERE emptied`,
    ),
    deleteEmptied: prepared(
      'streams-emptied',
      `WITH emptied AS (
  SELECT x.unit_id, x.day::date AS day, x.at::timestamptz AS at, x.inclusive
    FROM jsonb_to_recordset($1::jsonb) AS x(unit_id text, day text, at text, inclusive boolean)
),
days_deleted AS (
  DELETE FROM ${days} d USING emptied e
   WHERE e.at IS NULL AND d.unit_id = e.unit_id AND d.day = e.day AND ${allZero('d', FIGURES)}
)
DELETE FROM ${instants} i USING emptied e
 WHERE e.at IS NOT NULL AND i.day = e.day AND i.unit_id = e.unit_id AND i.at = e.at AND i.inclusive = e.inclusive
   AND ${allZero('i', STOCKS)}`,
    ),
  };
}
