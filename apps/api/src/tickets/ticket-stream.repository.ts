import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  eventIdFor,
  type AppendResult,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '../../../../libs/event-store/src/index.js';
import {
  decodeTicketEvent,
  fold,
  ticketStreamId,
  TICKET_EVENT_SCHEMA_VERSION,
  type TicketEvent,
  type TicketState,
} from '../../../../libs/ticketing/src/index.js';

/** Who issued a command, carried into every event's metadata (DESIGN.md "The ticket stream"). */
export interface CommandMetadata {
  commandId: string;
  commandType: string;
  correlationId: string;
  causationId: string;
  actor: { service: string; apiKeyId: string; userId: string | null };
}

export interface LoadedTicket {
  state: TicketState;
  recorded: RecordedEvent[];
}

/** Thin glue between the ticket domain and the event store. */
@Injectable()
export class TicketStreamRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(ticketId: string): Promise<LoadedTicket> {
    const recorded = await this.store.readStream(ticketStreamId(ticketId));
    return { recorded, state: fold(recorded.map(decodeTicketEvent)) };
  }

  append(ticketId: string, events: TicketEvent[], expectedRevision: number | 'no_stream', metadata: CommandMetadata): Promise<AppendResult> {
    return this.store.append(
      ticketStreamId(ticketId),
      events.map((event, index) => {
        const eventId = eventIdFor(metadata.commandId, index);
        const eventMetadata: JsonObject = {
          eventId,
          commandId: metadata.commandId,
          commandType: metadata.commandType,
          correlationId: metadata.correlationId,
          causationId: metadata.causationId,
          actor: metadata.actor,
          occurredAt: event.occurredAt,
          schemaVersion: TICKET_EVENT_SCHEMA_VERSION,
        };
        return { eventId, type: event.type, data: event.data as unknown as JsonObject, metadata: eventMetadata };
      }),
      { expectedRevision },
    );
  }
}
