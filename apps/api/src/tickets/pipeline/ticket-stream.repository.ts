import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, eventIdFor, type AppendResult, type EventStore, type EventToAppend, type RecordedEvent } from '#event-store';
import {
  decodeEventMetadata,
  decodeTicketEvent,
  encodeTicketEvent,
  evolve,
  initialState,
  ticketStreamId,
  type CommandEnvelope,
  type TicketCommand,
  type TicketEvent,
  type TicketState,
} from '#ticketing';
import { TICKET_SNAPSHOTS, type AppliedCommand, type TicketSnapshot, type TicketSnapshots } from './ticket-snapshots.js';

export interface LoadedTicket {
  state: TicketState;
  /** What a command with this id already wrote to the stream (a retry), if anything. */
  applied(commandId: string): AppliedCommand | undefined;
}

/**
 * Thin glue between the ticket domain and the event store. A command's cost does not grow
 * with its stream: the folded state and the commands seen are kept per ticket (in memory, by
 * revision), and each load reads only the events after the kept revision — the store is the
 * truth, the snapshot only saves re-reading what cannot change.
 */
@Injectable()
export class TicketStreamRepository {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TICKET_SNAPSHOTS) private readonly snapshots: TicketSnapshots,
  ) {}

  async load(ticketId: string): Promise<LoadedTicket> {
    const kept = this.snapshots.get(ticketId);
    const fromRevision = kept ? kept.state.revision + 1 : 0;
    const tail = await this.store.readStream(ticketStreamId(ticketId), fromRevision > 0 ? { fromRevision } : undefined);
    const snapshot = tail.length === 0 ? (kept ?? emptySnapshot()) : this.advance(ticketId, kept, tail);
    return { state: snapshot.state, applied: (commandId) => snapshot.commands.get(commandId) };
  }

  /** Every event of the ticket, as stored (an audit replay). */
  history(ticketId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(ticketStreamId(ticketId));
  }

  /** One page of the ticket's events, read from the store without folding. */
  page(ticketId: string, fromRevision: number, maxCount: number): Promise<RecordedEvent[]> {
    return this.store.readStream(ticketStreamId(ticketId), { fromRevision, maxCount });
  }

  /** The revision of the ticket's last event, or undefined for an unknown ticket. */
  async lastRevision(ticketId: string): Promise<number | undefined> {
    const [last] = await this.store.readStream(ticketStreamId(ticketId), { direction: 'backwards', maxCount: 1 });
    return last?.revision;
  }

  append(
    ticketId: string,
    command: TicketCommand,
    events: TicketEvent[],
    expectedRevision: number | 'no_stream',
    envelope: CommandEnvelope,
  ): Promise<AppendResult> {
    return this.store.append(
      ticketStreamId(ticketId),
      // The domain's events are plain JSON by construction: encodeTicketEvent's shape is the port's EventToAppend.
      events.map((event, index) => encodeTicketEvent(command, event, envelope, eventIdFor(envelope.commandId, index)) as EventToAppend),
      { expectedRevision },
    );
  }

  private advance(ticketId: string, kept: TicketSnapshot | undefined, tail: RecordedEvent[]): TicketSnapshot {
    let state = kept?.state ?? initialState;
    // Commands only ever gain events at the end of the stream, so the map is shared, not copied.
    const commands = kept?.commands ?? new Map<string, AppliedCommand>();
    for (const recorded of tail) {
      if (recorded.revision !== state.revision + 1) {
        throw new Error(`stream ${recorded.streamId}: revision ${recorded.revision} follows ${state.revision}; a stream has no gaps`);
      }
      state = evolve(state, decodeTicketEvent(recorded));
      const { commandId, occurredAt } = decodeEventMetadata(recorded);
      const entry = { eventId: recorded.eventId, type: recorded.type, revision: recorded.revision, occurredAt };
      const seen = commands.get(commandId);
      if (seen === undefined) commands.set(commandId, { events: [entry], position: recorded.position });
      else if (!seen.events.some((event) => event.revision === recorded.revision))
        commands.set(commandId, { events: [...seen.events, entry], position: recorded.position });
    }
    const snapshot = { state, commands };
    this.snapshots.keep(ticketId, snapshot);
    return snapshot;
  }
}

function emptySnapshot(): TicketSnapshot {
  return { state: initialState, commands: new Map() };
}
