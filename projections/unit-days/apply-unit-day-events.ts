import type pg from 'pg';
import type { RecordedEvent } from '#event-store';
import { eventsByTicket, foldNewEvents } from '../tickets/apply-ticket-events.js';
import type { TicketHistory } from '../tickets/ticket-history.js';
import type { UnitDaysTable } from './tables.js';
import { changesBetween, unitDayChanges, unitFirstStints, type UnitDayChange, type UnitFirstStint } from './unit-day-changes.js';
import { prepared, writeUnitDays, type UnitDayTicket } from './write-unit-days.js';

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
  const byTicket = eventsByTicket(events);
  if (byTicket.size === 0) return 0;
  const load = prepared(
    'load',
    `SELECT z.time_zone, t.ticket_id, t.history
       FROM ${table('unit_days_zone')} z
       LEFT JOIN ${table('unit_day_tickets')} t ON t.ticket_id = ANY($1::uuid[])`,
  );
  const { rows } = await client.query<{ time_zone: string; ticket_id: string | null; history: TicketHistory | null }>({
    ...load,
    values: [[...byTicket.keys()]],
  });
  // The zone the version was created in, not this process's: rows of one version never mix zones.
  const timeZone = rows[0]?.time_zone;
  if (timeZone === undefined)
    throw new Error(`${table('unit_days_zone')} has no row: the version's tables were not created by this projection`);
  const stored = new Map(
    rows.filter((r) => r.ticket_id !== null && r.history !== null).map((r) => [r.ticket_id as string, r.history as TicketHistory]),
  );

  const tickets: UnitDayTicket[] = [];
  const changes: UnitDayChange[] = [];
  const units: UnitFirstStint[] = [];
  let applied = 0;
  for (const [id, list] of byTicket) {
    const before = stored.get(id);
    const folded = foldNewEvents(id, before, list);
    const history = folded.history;
    applied += folded.applied;
    if (!history || history.revision === before?.revision) continue;
    const kept = seriesHistory(history);
    tickets.push({ ticketId: id, revision: kept.revision, history: kept });
    changes.push(...changesBetween(before ? unitDayChanges(before) : [], unitDayChanges(kept)));
    units.push(...unitFirstStints(kept));
  }
  await writeUnitDays(client, table, { timeZone, tickets, changes, units });
  return applied;
}
