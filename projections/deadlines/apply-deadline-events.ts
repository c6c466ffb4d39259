import type pg from 'pg';
import type { RecordedEvent } from '#event-store';
import { decodeTicketEvent, evolve, openDeadlines, TICKET_STREAM_PREFIX, type TicketState } from '#ticketing';
import type { DeadlinesTableName, OpenDeadlineRow } from './tables.js';

/** The physical name of one of the projection's tables, by its base name. */
export type DeadlinesTable = (name: DeadlinesTableName) => string;

/**
 * Folds each touched ticket's new events onto its stored state, then replaces its deadline rows
 * with `openDeadlines` of the new state: the rows depend only on the state, so any batching
 * gives the same rows. One read and three writes per batch, whatever its size.
 */
export async function applyDeadlineEvents(client: pg.PoolClient, table: DeadlinesTable, batch: readonly RecordedEvent[]): Promise<void> {
  const byTicket = new Map<string, RecordedEvent[]>();
  for (const recorded of batch) {
    if (!recorded.streamId.startsWith(TICKET_STREAM_PREFIX)) continue;
    const ticketId = recorded.streamId.slice(TICKET_STREAM_PREFIX.length);
    const events = byTicket.get(ticketId) ?? [];
    events.push(recorded);
    byTicket.set(ticketId, events);
  }
  if (byTicket.size === 0) return;
  const ticketIds = [...byTicket.keys()];
  const { rows: stored } = await client.query<{ ticket_id: string; revision: number; state: TicketState }>(
    `SELECT ticket_id, revision, state FROM ${table('deadline_tickets')} WHERE ticket_id = ANY($1::text[])`,
    [ticketIds],
  );
  const known = new Map(stored.map((row) => [row.ticket_id, row]));
  const tickets: Array<{ ticket_id: string; revision: number; state: TicketState }> = [];
  const deadlines: OpenDeadlineRow[] = [];
  for (const [ticketId, events] of byTicket) {
    let revision = known.get(ticketId)?.revision ?? -1;
    let state = known.get(ticketId)?.state ?? { exists: false, revision: -1 };
    for (const recorded of events) {
      if (recorded.revision !== revision + 1) {
        throw new Error(`ticket ${ticketId}: revision ${recorded.revision} follows ${revision} (the all-stream skipped or repeated one)`);
      }
      state = evolve(state, decodeTicketEvent(recorded));
      revision = recorded.revision;
    }
    tickets.push({ ticket_id: ticketId, revision, state });
    for (const deadline of openDeadlines(state)) {
      deadlines.push({ ticket_id: ticketId, phase: deadline.phase, instance: deadline.instance, due_at: deadline.dueAt });
    }
  }
  await client.query(
    `INSERT INTO ${table('deadline_tickets')} (ticket_id, revision, state)
     SELECT ticket_id, revision, state FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id text, revision integer, state jsonb)
     ON CONFLICT (ticket_id) DO UPDATE SET revision = excluded.revision, state = excluded.state`,
    [JSON.stringify(tickets)],
  );
  await client.query(`DELETE FROM ${table('open_deadlines')} WHERE ticket_id = ANY($1::text[])`, [ticketIds]);
  if (deadlines.length > 0) {
    await client.query(
      `INSERT INTO ${table('open_deadlines')} (ticket_id, phase, instance, due_at)
       SELECT ticket_id, phase, instance, due_at
         FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id text, phase text, instance text, due_at timestamptz)`,
      [JSON.stringify(deadlines)],
    );
  }
}
