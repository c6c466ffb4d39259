import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiError } from '#platform';
import type { RecordedEvent } from '#event-store';
import { decodeTicketEvent, fold, isDecodable, TicketErrors } from '#ticketing';
import { TicketStreamRepository } from '../pipeline/ticket-stream.repository.js';
import { toTicketView, type TicketView } from './ticket-view.js';

export interface TicketLogEntry {
  revision: number;
  position: string;
  eventId: string;
  type: string;
  /** null only when the event cannot be decoded and has no readable occurredAt */
  occurredAt: string | null;
  recordedAt: string;
  /** false: this build cannot read the event; it is shown raw */
  decodable: boolean;
  data: RecordedEvent['data'];
  metadata: RecordedEvent['metadata'];
}

export interface TicketLog {
  ticketId: string;
  /** the stream's last revision */
  revision: number;
  events: TicketLogEntry[];
  /** pass as fromRevision for the next page; null at the end */
  nextFromRevision: number | null;
}

export interface TicketStateAt {
  ticketId: string;
  at: string;
  /** the last event folded (occurredAt ≤ at) */
  revision: number;
  state: TicketView;
}

export class GetTicket extends Query<TicketView> {
  constructor(readonly ticketId: string) {
    super();
  }
}

export class GetTicketLog extends Query<TicketLog> {
  constructor(
    readonly ticketId: string,
    readonly fromRevision: number,
    readonly maxCount: number,
  ) {
    super();
  }
}

export class GetTicketStateAt extends Query<TicketStateAt> {
  constructor(
    readonly ticketId: string,
    readonly at: string,
  ) {
    super();
  }
}

@QueryHandler(GetTicket)
export class GetTicketHandler implements IQueryHandler<GetTicket, TicketView> {
  constructor(private readonly streams: TicketStreamRepository) {}

  async execute({ ticketId }: GetTicket): Promise<TicketView> {
    const { state } = await this.streams.load(ticketId);
    if (!state.exists) throw TicketErrors.notFound(ticketId);
    return toTicketView(state);
  }
}

/** The log pages through the store (no fold), so any page of a long stream costs the same. */
@QueryHandler(GetTicketLog)
export class GetTicketLogHandler implements IQueryHandler<GetTicketLog, TicketLog> {
  constructor(private readonly streams: TicketStreamRepository) {}

  async execute({ ticketId, fromRevision, maxCount }: GetTicketLog): Promise<TicketLog> {
    const last = await this.streams.lastRevision(ticketId);
    if (last === undefined) throw TicketErrors.notFound(ticketId);
    const page = fromRevision > last ? [] : await this.streams.page(ticketId, fromRevision, maxCount);
    const lastShown = page.at(-1)?.revision;
    return {
      ticketId,
      revision: last,
      events: page.map((e) => ({
        revision: e.revision,
        position: e.position,
        eventId: e.eventId,
        type: e.type,
        occurredAt: typeof e.metadata.occurredAt === 'string' ? e.metadata.occurredAt : null,
        recordedAt: e.recordedAt.toISOString(),
        decodable: isDecodable(e),
        data: e.data,
        metadata: e.metadata,
      })),
      nextFromRevision: lastShown !== undefined && lastShown < last ? lastShown + 1 : null,
    };
  }
}

/** State at an instant of business time: replay of the events that had occurred by then. */
@QueryHandler(GetTicketStateAt)
export class GetTicketStateAtHandler implements IQueryHandler<GetTicketStateAt, TicketStateAt> {
  constructor(private readonly streams: TicketStreamRepository) {}

  async execute({ ticketId, at }: GetTicketStateAt): Promise<TicketStateAt> {
    const recorded = await this.streams.history(ticketId);
    if (recorded.length === 0) throw TicketErrors.notFound(ticketId);
    const instant = Date.parse(at);
    const events = recorded.map(decodeTicketEvent).filter((e) => Date.parse(e.occurredAt) <= instant);
    const state = fold(events);
    if (!state.exists) {
      throw new ApiError(
        'TICKET_NOT_OPEN_YET',
        `Ticket ${ticketId} was opened at ${String(recorded[0].metadata.occurredAt)}, after ${at}.`,
        'not_found',
        {
          ticketId,
          openedAt: recorded[0].metadata.occurredAt,
        },
      );
    }
    return { ticketId, at: new Date(instant).toISOString(), revision: state.revision, state: toTicketView(state) };
  }
}
