import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { RecordedEvent } from '../../../../../libs/event-store/src/index.js';
import { DomainError, decodeTicketEvent, fold, TicketErrors } from '../../../../../libs/ticketing/src/index.js';
import { TicketStreamRepository } from '../ticket-stream.repository.js';
import { toTicketView, type TicketView } from './ticket-view.js';

export interface TicketLogEntry {
  revision: number;
  position: string;
  eventId: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
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
    readonly limit: number,
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

@QueryHandler(GetTicketLog)
export class GetTicketLogHandler implements IQueryHandler<GetTicketLog, TicketLog> {
  constructor(private readonly streams: TicketStreamRepository) {}

  async execute({ ticketId, fromRevision, limit }: GetTicketLog): Promise<TicketLog> {
    const { recorded } = await this.streams.load(ticketId);
    if (recorded.length === 0) throw TicketErrors.notFound(ticketId);
    const page = recorded.filter((e) => e.revision >= fromRevision).slice(0, limit);
    const last = recorded[recorded.length - 1].revision;
    const lastShown = page.at(-1)?.revision;
    return {
      ticketId,
      revision: last,
      events: page.map((e) => ({
        revision: e.revision,
        position: e.position,
        eventId: e.eventId,
        type: e.type,
        occurredAt: String(e.metadata.occurredAt),
        recordedAt: e.recordedAt.toISOString(),
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
    const { recorded } = await this.streams.load(ticketId);
    if (recorded.length === 0) throw TicketErrors.notFound(ticketId);
    const instant = Date.parse(at);
    const events = recorded.map(decodeTicketEvent).filter((e) => Date.parse(e.occurredAt) <= instant);
    const state = fold(events);
    if (!state.exists) {
      throw new DomainError('TICKET_NOT_OPEN_YET', `Ticket ${ticketId} was opened at ${String(recorded[0].metadata.occurredAt)}, after ${at}.`, 'not_found', {
        ticketId,
        openedAt: recorded[0].metadata.occurredAt,
      });
    }
    return { ticketId, at: new Date(instant).toISOString(), revision: state.revision, state: toTicketView(state) };
  }
}
