import { describe, expect, it } from '@jest/globals';
import { eventIdFor } from '#event-store/ids/uuid-v5.js';
import type { BulkAppend } from '#event-store/postgres/bulk-load.js';
import { TICKET_EVENT_SCHEMA_VERSION, ticketStreamId } from '#ticketing';
import { commandIdFor } from '#event-store/ids/command-id.js';
import type { GeneratedTicket } from './ticket-load.js';
import { SEED_API_KEY_ID, seedAppends, type SeedWorkload } from './ticket-seed.js';

describe('the bench seed: generated tickets as the API’s appends, in time order', () => {
  const workload: SeedWorkload = { tickets: 600, seed: 2013, start: new Date('2025-01-01T00:00:00Z'), days: 3 };
  const generated: GeneratedTicket[] = [];
  const appends = [...seedAppends(workload, (ticket) => generated.push(ticket))];
  const byStream = new Map<string, BulkAppend[]>();
  for (const append of appends) byStream.set(append.streamId, [...(byStream.get(append.streamId) ?? []), append]);

  it('appends every generated event of every ticket, with revisions chained as the port expects', () => {
    expect(byStream.size).toBe(workload.tickets);
    for (const ticket of generated) {
      const own = byStream.get(ticketStreamId(ticket.ticketId)) ?? [];
      const events = own.flatMap((append) => append.events);
      expect(events.map((event) => ({ type: event.type, data: event.data, occurredAt: event.metadata.occurredAt }))).toEqual(ticket.events);
      let last = -1;
      for (const append of own) {
        expect(append.expectedRevision).toBe(last === -1 ? 'no_stream' : last);
        last += append.events.length;
      }
    }
  });

  it('merges the tickets into the order of time, interleaved as live traffic', () => {
    const instants = appends.map((append) => Date.parse(String(append.events[0].metadata.occurredAt)));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    const firstTicketStream = appends[0].streamId;
    const positions = appends.flatMap((append, index) => (append.streamId === firstTicketStream ? [index] : []));
    expect(positions[positions.length - 1] - positions[0]).toBeGreaterThan(positions.length);
  });

  it('records each command as an importer’s, Idempotency-Key <ticket>/<n>: command id, event ids, metadata as the API writes them', () => {
    for (const ticket of generated.slice(0, 50)) {
      (byStream.get(ticketStreamId(ticket.ticketId)) ?? []).forEach((append, index) => {
        const commandId = commandIdFor(SEED_API_KEY_ID, `${ticket.ticketId}/${index}`);
        append.events.forEach((event, position) => {
          expect(event.eventId).toBe(eventIdFor(commandId, position));
          expect(Object.keys(event.metadata).sort()).toEqual([
            'actor',
            'causationId',
            'commandId',
            'commandType',
            'correlationId',
            'eventId',
            'occurredAt',
            'schemaVersion',
          ]);
          expect(event.metadata).toMatchObject({
            eventId: event.eventId,
            commandId,
            commandType: ticket.commands[index].command.type,
            schemaVersion: TICKET_EVENT_SCHEMA_VERSION,
          });
        });
      });
    }
  });

  it('is the same seed for the same workload', () => {
    const again = [...seedAppends(workload)].slice(0, 300);
    expect(again).toEqual(appends.slice(0, 300));
  });
});
