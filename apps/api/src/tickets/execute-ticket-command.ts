import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventIdFor, WrongExpectedRevisionError } from '../../../../libs/event-store/src/index.js';
import {
  decide,
  DomainError,
  resolveOccurredAt,
  type TicketCommand,
  type TicketEvent,
  type TicketState,
} from '../../../../libs/ticketing/src/index.js';
import { CLOCK, type Clock } from '../platform/clock.js';
import { TicketStreamRepository, type CommandMetadata, type LoadedTicket } from './ticket-stream.repository.js';

export interface TicketCommandResult {
  ticketId: string;
  commandId: string;
  /** revision of the stream's last event after the command */
  revision: number;
  /** global position of the last event the command appended (a string, never a number) */
  position: string;
  events: Array<{ eventId: string; type: string; revision: number; occurredAt: string }>;
  /** the command had already been applied (a retry): nothing new was written */
  replayed: boolean;
}

export interface TicketCommandOptions {
  /** stated `occurredAt`, if any */
  occurredAt?: string;
  /** `If-Match`: the revision the caller saw */
  expectedRevision?: number;
  /** importer and admin keys may state an `occurredAt` further back than the clock skew */
  mayBackdate: boolean;
}

export class ExecuteTicketCommand extends Command<TicketCommandResult> {
  constructor(
    readonly ticketId: string,
    readonly command: TicketCommand,
    readonly metadata: CommandMetadata,
    readonly options: TicketCommandOptions,
  ) {
    super();
  }
}

/** Conflicts retried by reloading and deciding again; decide itself refuses what became invalid. */
const MAX_ATTEMPTS = 8;

export function revisionMismatch(current: number | 'no_stream', expected: number): DomainError {
  const currentRevision = current === 'no_stream' ? null : current;
  return new DomainError(
    'REVISION_MISMATCH',
    `The ticket is at revision ${currentRevision ?? 'none'}, not ${expected} (If-Match); reload it and decide again.`,
    'conflict',
    { expectedRevision: expected, currentRevision },
  );
}

/**
 * The one command pipeline: load the stream, decide, append with the expected revision.
 * A command whose events are already in the stream (matched by command id: a retry after a
 * crash between append and answer) answers with what it wrote the first time.
 */
@CommandHandler(ExecuteTicketCommand)
export class ExecuteTicketCommandHandler implements ICommandHandler<ExecuteTicketCommand, TicketCommandResult> {
  constructor(
    private readonly streams: TicketStreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ ticketId, command, metadata, options }: ExecuteTicketCommand): Promise<TicketCommandResult> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.streams.load(ticketId);
      const earlier = this.alreadyApplied(ticketId, loaded, metadata.commandId);
      if (earlier) return earlier;
      const at = this.occurredAt(loaded.state, options);
      const decision = decide(loaded.state, command, { at, ticketId });
      if (options.expectedRevision !== undefined && loaded.state.revision !== options.expectedRevision) {
        // A lost claim is TICKET_ALREADY_CLAIMED however the loss is detected (DESIGN.md §3):
        // a conflict the current state explains says more than a stale If-Match.
        if (decision instanceof DomainError && decision.kind === 'conflict') throw decision;
        throw revisionMismatch(loaded.state.exists ? loaded.state.revision : 'no_stream', options.expectedRevision);
      }
      if (decision instanceof DomainError) throw decision;
      try {
        const expected = loaded.state.exists ? loaded.state.revision : 'no_stream';
        const appended = await this.streams.append(ticketId, decision, expected, metadata);
        return this.result(ticketId, metadata.commandId, decision, appended.nextExpectedRevision, appended.position, appended.alreadyAppended);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * A stated instant is checked against the clock and the role. The server's own clock is
   * clamped to the ticket's last event, so a ticket's time never runs backwards when two
   * processes' clocks differ by a few milliseconds.
   */
  private occurredAt(state: TicketState, options: TicketCommandOptions): string {
    const now = this.clock.now();
    const at = resolveOccurredAt(options.occurredAt, now, options.mayBackdate);
    if (options.occurredAt === undefined && state.exists && Date.parse(at) < Date.parse(state.lastOccurredAt)) return state.lastOccurredAt;
    return at;
  }

  private alreadyApplied(ticketId: string, loaded: LoadedTicket, commandId: string): TicketCommandResult | undefined {
    const mine = loaded.recorded.filter((event) => event.metadata.commandId === commandId);
    if (mine.length === 0) return undefined;
    const last = mine[mine.length - 1];
    return {
      ticketId,
      commandId,
      revision: last.revision,
      position: last.position,
      events: mine.map((e) => ({ eventId: e.eventId, type: e.type, revision: e.revision, occurredAt: String(e.metadata.occurredAt) })),
      replayed: true,
    };
  }

  private result(ticketId: string, commandId: string, events: TicketEvent[], lastRevision: number, position: string, replayed: boolean): TicketCommandResult {
    const first = lastRevision - events.length + 1;
    return {
      ticketId,
      commandId,
      revision: lastRevision,
      position,
      events: events.map((event, index) => ({
        eventId: eventIdFor(commandId, index),
        type: event.type,
        revision: first + index,
        occurredAt: event.occurredAt,
      })),
      replayed,
    };
  }
}
