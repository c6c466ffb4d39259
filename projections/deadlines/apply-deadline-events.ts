import type pg from 'pg';
import type { RecordedEvent } from '#event-store';
import { copyRows } from '#read-model/postgres/copy-rows.js';
import {
  ALWAYS_OPEN,
  CALENDAR_TIME_ID,
  decodeReferenceEvent,
  decodeTicketEvent,
  defineCalendar,
  evolve,
  openDeadlines,
  referenceStreamId,
  TICKET_STREAM_PREFIX,
  versionId,
  type BusinessCalendar,
  type CalendarDefinition,
  type CalendarLookup,
  type TicketState,
} from '#ticketing';
import { DEADLINE_TICKETS, OPEN_DEADLINES, type DeadlinesTableName, type OpenDeadlineRow } from './tables.js';

/** The physical name of one of the projection's tables, by its base name. */
export type DeadlinesTable = (name: DeadlinesTableName) => string;

const CALENDAR_STREAM_PREFIX = referenceStreamId('calendar', '');

/** Calendar versions never change: one prepared calendar per version and definition, for every batch. */
const prepared = new Map<string, BusinessCalendar>();

/**
 * Folds each touched ticket's new events onto its stored state, then replaces its deadline rows
 * with `openDeadlines` of the new state: the rows depend only on the state (and the calendar
 * versions, which never change), so any batching gives the same rows. Calendar versions are kept
 * first, since a batch may hold a calendar and the ticket that uses it.
 */
export async function applyDeadlineEvents(client: pg.PoolClient, table: DeadlinesTable, batch: readonly RecordedEvent[]): Promise<void> {
  const byTicket = new Map<string, RecordedEvent[]>();
  const calendarsDefined: Array<{ version_id: string; definition: CalendarDefinition }> = [];
  for (const recorded of batch) {
    if (recorded.streamId.startsWith(CALENDAR_STREAM_PREFIX)) {
      const event = decodeReferenceEvent(recorded);
      if (event.type === 'CalendarDefined') {
        calendarsDefined.push({ version_id: versionId(event.data.id, event.data.version), definition: event.data.definition.definition });
      }
      continue;
    }
    if (!recorded.streamId.startsWith(TICKET_STREAM_PREFIX)) continue;
    const ticketId = recorded.streamId.slice(TICKET_STREAM_PREFIX.length);
    const events = byTicket.get(ticketId) ?? [];
    events.push(recorded);
    byTicket.set(ticketId, events);
  }
  if (calendarsDefined.length > 0) {
    await client.query(
      `INSERT INTO ${table('deadline_calendars')} (version_id, definition)
       SELECT version_id, definition FROM jsonb_to_recordset($1::jsonb) AS x(version_id text, definition jsonb)
       ON CONFLICT (version_id) DO NOTHING`,
      [JSON.stringify(calendarsDefined)],
    );
  }
  if (byTicket.size === 0) return;
  const calendars = await calendarLookup(client, table);
  const ticketIds = [...byTicket.keys()];
  const { rows: stored } = await client.query<TicketRow>(
    `SELECT ticket_id, revision, state FROM ${table('deadline_tickets')} WHERE ticket_id = ANY($1::text[])`,
    [ticketIds],
  );
  const known = new Map(stored.map((row) => [row.ticket_id, row]));
  const tickets: TicketRow[] = [];
  const deadlines: OpenDeadlineRow[] = [];
  for (const [ticketId, events] of byTicket) {
    const before = known.get(ticketId);
    const folded = foldStream(ticketId, before, events);
    // Every event was already folded (a replay, or the per-stream rebuild's streams): rows unchanged.
    if (folded.revision === before?.revision) continue;
    tickets.push({ ticket_id: ticketId, revision: folded.revision, state: folded.state });
    deadlines.push(...deadlineRows(ticketId, folded.state, calendars));
  }
  if (tickets.length === 0) return;
  await upsertTickets(client, table, tickets);
  await client.query(`DELETE FROM ${table('open_deadlines')} WHERE ticket_id = ANY($1::text[])`, [tickets.map((t) => t.ticket_id)]);
  await insertDeadlines(client, table, deadlines);
}

/**
 * The per-stream path of a rebuild (`Projection.perStream`): each stream is a ticket's events
 * from revision 0 to the engine's head, none of which this version holds yet (the calendars up
 * to the head went through `applyDeadlineEvents` first). Each is folded whole in memory and its
 * state and open deadlines are written once, a COPY per table for the chunk (a ticket written
 * twice fails on the primary key instead of being overwritten). The states are
 * stored at their last revision, so the live handler that follows from the head skips what
 * they hold.
 */
export async function applyDeadlineStreams(
  client: pg.PoolClient,
  table: DeadlinesTable,
  streams: readonly RecordedEvent[][],
): Promise<void> {
  if (streams.length === 0) return;
  const calendars = await calendarLookup(client, table);
  const tickets: TicketRow[] = [];
  const deadlines: OpenDeadlineRow[] = [];
  for (const events of streams) {
    const first = events[0];
    if (first === undefined) continue;
    if (!first.streamId.startsWith(TICKET_STREAM_PREFIX)) throw new Error(`stream ${first.streamId} is not a ticket stream`);
    const ticketId = first.streamId.slice(TICKET_STREAM_PREFIX.length);
    const folded = foldStream(ticketId, undefined, events);
    tickets.push({ ticket_id: ticketId, revision: folded.revision, state: folded.state });
    deadlines.push(...deadlineRows(ticketId, folded.state, calendars));
  }
  if (tickets.length === 0) return;
  await copyRows(client, table('deadline_tickets'), DEADLINE_TICKETS, tickets);
  if (deadlines.length > 0) await copyRows(client, table('open_deadlines'), OPEN_DEADLINES, deadlines);
}

interface TicketRow {
  ticket_id: string;
  revision: number;
  state: TicketState;
}

/**
 * Folds a ticket's events onto its stored state. An event at or below the stored revision is
 * already in the state and is skipped (a replayed batch, or the live handler after the
 * per-stream rebuild); a gap is an error, never skipped over.
 */
function foldStream(
  ticketId: string,
  stored: TicketRow | undefined,
  events: readonly RecordedEvent[],
): { revision: number; state: TicketState } {
  let revision = stored?.revision ?? -1;
  let state: TicketState = stored?.state ?? { exists: false, revision: -1 };
  for (const recorded of events) {
    if (recorded.revision <= revision) continue;
    if (recorded.revision !== revision + 1) {
      throw new Error(`ticket ${ticketId}: revision ${recorded.revision} follows ${revision} (the all-stream skipped one)`);
    }
    state = evolve(state, decodeTicketEvent(recorded));
    revision = recorded.revision;
  }
  return { revision, state };
}

function deadlineRows(ticketId: string, state: TicketState, calendars: CalendarLookup): OpenDeadlineRow[] {
  return openDeadlines(state, calendars).map((deadline) => ({
    ticket_id: ticketId,
    phase: deadline.phase,
    kind: deadline.kind,
    instance: deadline.instance,
    due_at: deadline.dueAt,
    threshold: deadline.threshold,
    level: deadline.level,
  }));
}

async function upsertTickets(client: pg.PoolClient, table: DeadlinesTable, tickets: TicketRow[]): Promise<void> {
  await client.query(
    `INSERT INTO ${table('deadline_tickets')} (ticket_id, revision, state)
     SELECT ticket_id, revision, state FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id text, revision integer, state json)
     ON CONFLICT (ticket_id) DO UPDATE SET revision = excluded.revision, state = excluded.state`,
    [JSON.stringify(tickets)],
  );
}

async function insertDeadlines(client: pg.PoolClient, table: DeadlinesTable, deadlines: OpenDeadlineRow[]): Promise<void> {
  if (deadlines.length === 0) return;
  await client.query(
    `INSERT INTO ${table('open_deadlines')} (ticket_id, phase, kind, instance, due_at, threshold, level)
     SELECT ticket_id, phase, kind, instance, due_at, threshold, level
       FROM jsonb_to_recordset($1::jsonb)
         AS x(ticket_id text, phase text, kind text, instance text, due_at timestamptz, threshold integer, level integer)`,
    [JSON.stringify(deadlines)],
  );
}

/** The calendar versions this projection has seen (a handful: read whole per batch). */
async function calendarLookup(client: pg.PoolClient, table: DeadlinesTable): Promise<CalendarLookup> {
  const { rows } = await client.query<{ version_id: string; definition: CalendarDefinition }>(
    `SELECT version_id, definition FROM ${table('deadline_calendars')}`,
  );
  const byId = new Map(rows.map((row) => [row.version_id, row.definition]));
  return (id) => {
    if (id === CALENDAR_TIME_ID) return ALWAYS_OPEN;
    const definition = byId.get(id);
    // A clock records a version that was defined before it (the all-stream's order): a gap here is a bug, not data to skip.
    if (definition === undefined) throw new Error(`the deadlines projection has no calendar version ${id}`);
    const key = `${id} ${JSON.stringify(definition)}`;
    let calendar = prepared.get(key);
    if (calendar === undefined) {
      calendar = defineCalendar(definition);
      prepared.set(key, calendar);
    }
    return calendar;
  };
}
