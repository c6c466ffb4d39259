import type pg from 'pg';
import type { RecordedEvent } from '#event-store';
import { decodeTicketEvent, TICKET_STREAM_PREFIX } from '#ticketing';
import { calendarIdsOf } from './business-measures.js';
import { calendarResolver, storeCalendarVersions } from './calendar-versions.js';
import { copyTicketRows } from './copy-ticket-rows.js';
import { foldTicketHistory, type TicketHistory } from './ticket-history.js';
import { ticketRows } from './ticket-rows.js';
import { changedRows, writeTicketRows } from './write-ticket-rows.js';

/** The batch's ticket events by ticket id, in batch order; other streams' events are left out. */
export function eventsByTicket(events: RecordedEvent[]): Map<string, RecordedEvent[]> {
  const byTicket = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!event.streamId.startsWith(TICKET_STREAM_PREFIX)) continue;
    const id = event.streamId.slice(TICKET_STREAM_PREFIX.length);
    const list = byTicket.get(id);
    if (list) list.push(event);
    else byTicket.set(id, [event]);
  }
  return byTicket;
}

/**
 * Folds a ticket's events of a batch onto its stored history. An event at or below the stored
 * revision was applied already and is skipped (replaying a batch changes nothing); a gap is an
 * error, never skipped over.
 */
export function foldNewEvents(
  id: string,
  stored: TicketHistory | undefined,
  events: RecordedEvent[],
): { history: TicketHistory | undefined; applied: number } {
  let history = stored;
  let applied = 0;
  for (const event of events) {
    if (event.revision <= (history?.revision ?? -1)) continue;
    if (event.revision !== (history?.revision ?? -1) + 1) {
      throw new Error(
        `ticket ${id}: event revision ${event.revision} follows stored revision ${history?.revision ?? -1}; ` +
          `a gap means an event was skipped`,
      );
    }
    history = foldTicketHistory(history, decodeTicketEvent(event));
    applied++;
  }
  return { history, applied };
}

/**
 * Applies a batch of ticket and calendar events: stores the calendar versions first (each
 * precedes the ticket events that name it, and never changes), loads the folded history of each
 * ticket the batch touches, folds the new events, and writes those tickets' rows that changed, with their
 * business measures in the calendars their clocks name. An event at or below the stored
 * revision was applied already and is skipped, so replaying a batch changes nothing.
 */
export async function applyTicketEvents(
  client: pg.ClientBase,
  physical: (table: string) => string,
  events: RecordedEvent[],
): Promise<number> {
  await storeCalendarVersions(client, physical('calendar_versions'), events);
  const byTicket = eventsByTicket(events);
  if (byTicket.size === 0) return 0;
  const { rows } = await client.query<{ ticket_id: string; history: TicketHistory }>(
    `SELECT ticket_id, history FROM ${physical('ticket_histories')} WHERE ticket_id = ANY($1::uuid[])`,
    [[...byTicket.keys()]],
  );
  const stored = new Map(rows.map((r) => [r.ticket_id, r.history]));
  const changed: Array<{ before: TicketHistory | undefined; after: TicketHistory }> = [];
  let applied = 0;
  for (const [id, list] of byTicket) {
    const before = stored.get(id);
    const folded = foldNewEvents(id, before, list);
    applied += folded.applied;
    if (folded.history && folded.history.revision !== (before?.revision ?? -1)) changed.push({ before, after: folded.history });
  }
  const calendars = await calendarResolver(
    client,
    physical('calendar_versions'),
    changed.flatMap(({ before, after }) => [...(before ? calendarIdsOf(before) : []), ...calendarIdsOf(after)]),
  );
  // Only the rows that differ from the stored ones are written (the others are already there, as they are).
  await writeTicketRows(
    client,
    physical,
    changed.map(({ before, after }) => {
      const rows = ticketRows(after, calendars);
      return before ? changedRows(ticketRows(before, calendars), rows) : rows;
    }),
  );
  return applied;
}

/**
 * The per-stream path (projection.ts `perStream`): each ticket stream whole, from revision 0 up
 * to the rebuild's head, folded once and written once. These tickets have no rows in this
 * version yet, so the rows are COPied in (no conflict to look for, no history to load).
 * The calendar versions were stored before, through `handle`.
 */
export async function applyTicketStreams(
  client: pg.ClientBase,
  physical: (table: string) => string,
  streams: RecordedEvent[][],
): Promise<number> {
  const histories: TicketHistory[] = [];
  let applied = 0;
  for (const stream of streams) {
    const first = stream.at(0);
    if (!first?.streamId.startsWith(TICKET_STREAM_PREFIX)) continue;
    const folded = foldNewEvents(first.streamId.slice(TICKET_STREAM_PREFIX.length), undefined, stream);
    applied += folded.applied;
    if (folded.history) histories.push(folded.history);
  }
  const calendars = await calendarResolver(
    client,
    physical('calendar_versions'),
    histories.flatMap((history) => [...calendarIdsOf(history)]),
  );
  await copyTicketRows(
    client,
    physical,
    histories.map((history) => ticketRows(history, calendars)),
  );
  return applied;
}
