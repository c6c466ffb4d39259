import type pg from 'pg';
import type { RecordedEvent } from '../../libs/event-store/src/index.js';
import { decodeTicketEvent, TICKET_STREAM_PREFIX } from '../../libs/ticketing/src/index.js';
import { foldTicketHistory, type TicketHistory } from '../tickets/ticket-history.js';
import type { UnitDaysTable } from './tables.js';
import { changesBetween, unitDayChanges, unitFirstStints, type UnitDayChange, type UnitFirstStint } from './unit-day-changes.js';
import { prepared, writeUnitDays, type TicketState } from './write-unit-days.js';

/**
 * The history without what the series never reads. `foldTicketHistory` only appends to these
 * lists, so folding later events onto the stripped history gives the same custody, cycles and
 * holds as folding the whole stream; it keeps the per-ticket state small.
 */
export function seriesHistory(h: TicketHistory): TicketHistory {
  return { ...h, responses: [], delays: [], surveys: [], marks: [], classifications: [] };
}

/**
 * Applies a batch of ticket events to the daily series: loads the stored history of each ticket
 * the batch touches, folds its new events with the tickets projection's pure fold, and moves
 * the series by the difference between the ticket's new contributions and its old ones. An
 * event at or below the stored revision was applied already and is skipped, so replaying a
 * batch changes nothing; rows depend only on the tickets' histories, never on how the events
 * were batched.
 */
export async function applyUnitDayEvents(client: pg.ClientBase, table: UnitDaysTable, events: RecordedEvent[]): Promise<number> {
  const byTicket = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!event.streamId.startsWith(TICKET_STREAM_PREFIX)) continue;
    const id = event.streamId.slice(TICKET_STREAM_PREFIX.length);
    const list = byTicket.get(id);
    if (list) list.push(event);
    else byTicket.set(id, [event]);
  }
  if (byTicket.size === 0) return 0;
  const load = prepared(
    'load',
    `SELECT z.time_zone, t.ticket_id, t.history
       FROM ${table('unit_days_zone')} z
       LEFT JOIN ${table('unit_day_tickets')} t ON t.ticket_id = ANY($1::uuid[])`,
  );
  const { rows } = await client.query<{ time_zone: string; ticket_id: string | null; history: TicketHistory | null }>({ ...load, values: [[...byTicket.keys()]] });
  // The zone the version was created in, not this process's: rows of one version never mix zones.
  const timeZone = rows[0]?.time_zone;
  if (timeZone === undefined) throw new Error(`${table('unit_days_zone')} has no row: the version's tables were not created by this projection`);
  const stored = new Map(rows.filter((r) => r.ticket_id !== null && r.history !== null).map((r) => [r.ticket_id as string, r.history as TicketHistory]));

  const tickets: TicketState[] = [];
  const changes: UnitDayChange[] = [];
  const units: UnitFirstStint[] = [];
  let applied = 0;
  for (const [id, list] of byTicket) {
    const before = stored.get(id);
    let history = before;
    for (const event of list) {
      if (event.revision <= (history?.revision ?? -1)) continue;
      if (event.revision !== (history?.revision ?? -1) + 1) {
        throw new Error(`ticket ${id}: event revision ${event.revision} follows stored revision ${history?.revision ?? -1}; a gap means an event was skipped`);
      }
      history = foldTicketHistory(history, decodeTicketEvent(event));
      applied++;
    }
    if (!history || history.revision === before?.revision) continue;
    const kept = seriesHistory(history);
    tickets.push({ ticketId: id, revision: kept.revision, history: kept });
    changes.push(...changesBetween(before ? unitDayChanges(before) : [], unitDayChanges(kept)));
    units.push(...unitFirstStints(kept));
  }
  await writeUnitDays(client, table, { timeZone, tickets, changes, units });
  return applied;
}
