import { eventIdFor, type JsonObject, type PostgresEventStore } from '#event-store';
import { TICKET_EVENT_SCHEMA_VERSION, ticketStreamId, type TicketEvent } from '#ticketing';
import { generateTickets, type LoadOptions } from '#workload';

/** Ticket streams for specs: ticket id → its events in revision order. */
export type TicketStreams = Map<string, TicketEvent[]>;

export function generatedStreams(options: LoadOptions): TicketStreams {
  return new Map([...generateTickets(options)].map((t) => [t.ticketId, t.events]));
}

function stored(ticketId: string, revision: number, event: TicketEvent) {
  // The events are this build's shape: stored as version 1 they would be upcast, their clocks' terms replaced by the defaults.
  const metadata: JsonObject = {
    occurredAt: event.occurredAt,
    schemaVersion: TICKET_EVENT_SCHEMA_VERSION,
    commandId: `${ticketId}/${revision}`,
  };
  return { eventId: eventIdFor(ticketId, revision), type: event.type, data: event.data as unknown as JsonObject, metadata };
}

/**
 * Appends every event on its own, in time order across tickets, by `writers` concurrent
 * writers that each own a share of the tickets: transactions commit out of order and a
 * runner following them sees every ticket's events spread over many batches.
 */
export async function appendLive(store: PostgresEventStore, streams: TicketStreams, writers = 4): Promise<void> {
  const all = [...streams.entries()]
    .flatMap(([ticketId, events]) => events.map((event, revision) => ({ ticketId, revision, event })))
    .sort((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt) || a.revision - b.revision);
  const shareOf = (ticketId: string) => Number.parseInt(ticketId.slice(0, 8), 16) % writers;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (const { ticketId, revision, event } of all) {
        if (shareOf(ticketId) !== writer) continue;
        await store.append(ticketStreamId(ticketId), [stored(ticketId, revision, event)], {
          expectedRevision: revision === 0 ? 'no_stream' : revision - 1,
        });
      }
    }),
  );
}

/** Appends each ticket's stream whole, one append per ticket (fast; for specs that rebuild). */
export async function appendWhole(store: PostgresEventStore, streams: TicketStreams, writers = 4): Promise<void> {
  const tickets = [...streams.entries()];
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let i = writer; i < tickets.length; i += writers) {
        const [ticketId, events] = tickets[i];
        await store.append(
          ticketStreamId(ticketId),
          events.map((event, revision) => stored(ticketId, revision, event)),
          { expectedRevision: 'no_stream' },
        );
      }
    }),
  );
}
