import { Inject, Injectable } from '@nestjs/common';
import { eventIdFor, WrongExpectedRevisionError } from '#event-store';
import { ApiError, CLOCK, ReferenceStore, type Clock } from '#platform';
import {
  decide,
  DomainError,
  referenceMode,
  resolveOccurredAt,
  stampOccurredAt,
  type CommandEnvelope,
  type TicketCommand,
  type TicketState,
  type TimePolicy,
} from '#ticketing';
import { PIPELINE_SETTINGS, type PipelineSettings } from './pipeline-settings.js';
import { StreamQueue } from './stream-queue.js';
import type { AppliedCommand } from './ticket-snapshots.js';
import { TicketStreamRepository } from './ticket-stream.repository.js';

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

/** Where a command comes from: its envelope, and whether its caller may backdate. */
export interface CommandOrigin {
  envelope: CommandEnvelope;
  /** importer and admin keys may state an `occurredAt` further back than the backdating window */
  mayBackdate: boolean;
}

export interface CommandConditions {
  /** stated `occurredAt`, if any */
  occurredAt?: string;
  /** `If-Match`: the revision the caller decided on */
  expectedRevision?: number;
}

export function revisionMismatch(current: number | 'no_stream', expected: number): ApiError {
  const currentRevision = current === 'no_stream' ? null : current;
  return new ApiError(
    'REVISION_MISMATCH',
    `The ticket is at revision ${currentRevision ?? 'none'}, not ${expected} (If-Match); reload it and decide again.`,
    'conflict',
    { expectedRevision: expected, currentRevision },
  );
}

export function ticketBusy(ticketId: string, attempts: number, budgetMs: number): ApiError {
  return ApiError.unavailable(
    'TICKET_BUSY',
    `Ticket ${ticketId} changed under this command ${attempts} times in ${budgetMs} ms (other writers); ` +
      'nothing was written, send it again.',
    { ticketId, attempts, retryAfterSeconds: 1 },
  );
}

/** The one answer of a command, from what it wrote: the first answer and any retry's are equal but for `replayed`. */
export function answerOf(ticketId: string, commandId: string, applied: AppliedCommand, replayed: boolean): TicketCommandResult {
  const last = applied.events[applied.events.length - 1];
  return { ticketId, commandId, revision: last.revision, position: applied.position, events: applied.events, replayed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The one command pipeline, whoever sends the command (an HTTP use case today; the watchdog
 * and the importer next): load the ticket, decide, append with the expected revision.
 *
 * Commands to one ticket run one at a time in this process (the stream queue); a conflict
 * with another process is retried by loading and deciding again, with jittered back-off,
 * until the retry budget is spent (then 503 TICKET_BUSY, nothing written). With `If-Match`
 * the caller decided on a revision, so any conflict is its 409 REVISION_MISMATCH — or the
 * domain's own conflict (TICKET_ALREADY_CLAIMED) when the current state explains the loss.
 * A command whose events are already in the stream (a retry after a crash between append and
 * answer) answers with what it wrote then.
 */
@Injectable()
export class TicketCommandPipeline {
  constructor(
    private readonly streams: TicketStreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
    private readonly queue: StreamQueue,
    private readonly reference: ReferenceStore,
  ) {}

  run(ticketId: string, command: TicketCommand, origin: CommandOrigin, conditions: CommandConditions = {}): Promise<TicketCommandResult> {
    return this.queue.run(ticketId, () => this.decideAndAppend(ticketId, command, origin, conditions));
  }

  private async decideAndAppend(
    ticketId: string,
    command: TicketCommand,
    origin: CommandOrigin,
    conditions: CommandConditions,
  ): Promise<TicketCommandResult> {
    const started = Date.now();
    const { envelope } = origin;
    const { retryBudgetMs, time } = this.settings;
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.streams.load(ticketId);
      const earlier = loaded.applied(envelope.commandId);
      if (earlier) return answerOf(ticketId, envelope.commandId, earlier, true);
      const at = this.occurredAt(loaded.state, origin, conditions, time);
      // Read per attempt: an admin change that answered before this command started is in force for it.
      const catalogue = await this.reference.current();
      const mode = referenceMode(this.settings.referenceMode, catalogue);
      const decision = decide(loaded.state, command, { at, ticketId, reference: { catalogue, mode } });
      if (conditions.expectedRevision !== undefined && loaded.state.revision !== conditions.expectedRevision) {
        // A lost claim is TICKET_ALREADY_CLAIMED however the loss is detected (DESIGN.md §3):
        // a conflict the current state explains says more than a stale If-Match.
        if (decision instanceof DomainError && decision.kind === 'conflict') throw decision;
        throw revisionMismatch(loaded.state.exists ? loaded.state.revision : 'no_stream', conditions.expectedRevision);
      }
      if (decision instanceof DomainError) throw decision;
      try {
        const expected = loaded.state.exists ? loaded.state.revision : 'no_stream';
        const backdated = Date.parse(at) < this.clock.now().getTime() - time.backdateWindowMs;
        const appended = await this.streams.append(
          ticketId,
          command,
          decision,
          expected,
          backdated ? { ...envelope, backdated } : envelope,
        );
        if (appended.alreadyAppended) continue;
        const first = appended.nextExpectedRevision - decision.length + 1;
        const applied: AppliedCommand = {
          events: decision.map((event, index) => ({
            eventId: eventIdFor(envelope.commandId, index),
            type: event.type,
            revision: first + index,
            occurredAt: event.occurredAt,
          })),
          position: appended.position,
        };
        return answerOf(ticketId, envelope.commandId, applied, false);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        // With If-Match the next round answers REVISION_MISMATCH or the domain's conflict.
        if (conditions.expectedRevision !== undefined) continue;
        const elapsed = Date.now() - started;
        if (elapsed >= retryBudgetMs) throw ticketBusy(ticketId, attempt, retryBudgetMs);
        // Full jitter (AWS architecture blog): writers that collided spread out instead of colliding again.
        const ceiling = Math.min(250, 5 * 2 ** Math.min(attempt, 10));
        await sleep(Math.min(Math.random() * ceiling, retryBudgetMs - elapsed));
      }
    }
  }

  /**
   * A stated instant is checked against the clock, the role and the installation's earliest
   * instant; the server's own stamp never goes before the ticket's last event nor beyond the
   * clock plus the skew.
   */
  private occurredAt(state: TicketState, origin: CommandOrigin, conditions: CommandConditions, time: TimePolicy): string {
    const now = this.clock.now();
    if (conditions.occurredAt !== undefined) return resolveOccurredAt(conditions.occurredAt, now, origin.mayBackdate, time);
    return stampOccurredAt(now, state.exists ? state.lastOccurredAt : undefined, time);
  }
}
