import type pg from 'pg';
import type { RecordedEvent } from '#event-store';
import { ALWAYS_OPEN, defineCalendar, versionId, type BusinessCalendar, type CalendarDefinition } from '#ticketing';
import { CALENDAR_TIME_ID } from '#ticketing/sla/terms.js';
import type { CalendarResolver } from './business-measures.js';
import type { CALENDAR_VERSIONS } from './tables.js';
import type { RowOf } from '#read-model/projections/table-definition.js';

type CalendarVersionRow = RowOf<typeof CALENDAR_VERSIONS>;

export const CALENDAR_DEFINED = 'CalendarDefined';
const CALENDAR_STREAM_PREFIX = 'ref-calendar-';

/**
 * The calendar versions the business measures run in. A CalendarDefined event precedes, in the
 * all-stream order, every ticket event that names its version, and a version id never changes
 * meaning; so the versions are stored in a table of the projection's version (written in the
 * batch's transaction, before its ticket events are folded) and resolved from it, live and in a
 * rebuild alike. An in-memory cache keeps the prepared calendars per connection and table, so a
 * batch queries only for versions it has not seen.
 */

function text(event: RecordedEvent, value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Error(`${event.type} at ${event.position}: ${field} is not a string`);
  return value;
}

/** The row of a stored CalendarDefined event (`{id, version, by, definition: {name, effectiveFrom, definition}}`). */
export function calendarVersionRow(event: RecordedEvent): CalendarVersionRow {
  const data = event.data as {
    id?: unknown;
    version?: unknown;
    by?: unknown;
    definition?: { name?: unknown; effectiveFrom?: unknown; definition?: unknown };
  };
  const id = text(event, data.id, 'id');
  const version = data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`${event.type} at ${event.position}: version is not a positive integer`);
  }
  const definition = data.definition?.definition;
  // Validates it as the domain does: a calendar the arithmetic cannot run on is an error here, not later.
  defineCalendar(definition as CalendarDefinition);
  return {
    calendar_version_id: versionId(id, version),
    calendar_id: id,
    version,
    name: text(event, data.definition?.name, 'definition.name'),
    effective_from: text(event, data.definition?.effectiveFrom, 'definition.effectiveFrom'),
    definition: definition as CalendarVersionRow['definition'],
    defined_by: text(event, data.by, 'by'),
    defined_at: text(event, event.metadata.occurredAt, 'metadata.occurredAt'),
  };
}

export function isCalendarEvent(event: RecordedEvent): boolean {
  return event.type === CALENDAR_DEFINED && event.streamId.startsWith(CALENDAR_STREAM_PREFIX);
}

/** Stores the batch's calendar versions; a version already there is left as it is (a replayed batch). */
export async function storeCalendarVersions(client: pg.ClientBase, physical: string, events: RecordedEvent[]): Promise<void> {
  const rows = events.filter(isCalendarEvent).map(calendarVersionRow);
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO ${physical} SELECT * FROM jsonb_populate_recordset(NULL::${physical}, $1::jsonb) ` +
      'ON CONFLICT (calendar_version_id) DO NOTHING',
    [JSON.stringify(rows)],
  );
}

/** Prepared calendars by connection, then by table and version id (connections differ by database in specs). */
const cache = new WeakMap<pg.ClientBase, Map<string, BusinessCalendar>>();

/**
 * A resolver for the given version ids: the cached ones, and the others read from the table in
 * one query. An id the table does not hold throws: its CalendarDefined event was never projected.
 */
export async function calendarResolver(client: pg.ClientBase, physical: string, ids: Iterable<string>): Promise<CalendarResolver> {
  let byConnection = cache.get(client);
  if (byConnection === undefined) {
    byConnection = new Map();
    cache.set(client, byConnection);
  }
  const known = byConnection;
  const key = (id: string) => `${physical} ${id}`;
  const missing = [...new Set(ids)].filter((id) => id !== CALENDAR_TIME_ID && !known.has(key(id)));
  if (missing.length > 0) {
    const { rows } = await client.query<{ calendar_version_id: string; definition: CalendarDefinition }>(
      `SELECT calendar_version_id, definition FROM ${physical} WHERE calendar_version_id = ANY($1::text[])`,
      [missing],
    );
    for (const row of rows) known.set(key(row.calendar_version_id), defineCalendar(row.definition));
  }
  return (id) => {
    if (id === CALENDAR_TIME_ID) return ALWAYS_OPEN;
    const calendar = known.get(key(id));
    if (calendar === undefined) {
      throw new Error(`calendar version ${id} is named by a ticket but no CalendarDefined event defined it before`);
    }
    return calendar;
  };
}
