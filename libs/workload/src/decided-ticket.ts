import { eventIdFor, type EventToAppend } from '#event-store';
import {
  decide,
  DomainError,
  encodeTicketEvent,
  evolve,
  initialState,
  type CommandEnvelope,
  type TicketCommand,
  type TicketState,
} from '#ticketing';

/** One command of a ticket's history, at the instant it happens (ISO-8601). */
export interface TicketStep {
  command: TicketCommand;
  at: string;
}

export interface DecidedTicket {
  /** every event of the steps, encoded as the API's command path does, in order */
  events: EventToAppend[];
  state: TicketState;
}

const CALLER: CommandEnvelope['caller'] = { service: 'workload', apiKeyId: 'workload' };

/**
 * A ticket's steps through decide → encode, as the API would record them, for one append at
 * `no_stream` (benches and specs that need many tickets fast). Command ids derive from the ticket
 * and the step, so the same steps give the same event ids. A refused step is a workload bug: it throws.
 */
export function decideTicket(ticketId: string, steps: readonly TicketStep[]): DecidedTicket {
  let state: TicketState = initialState;
  const events: EventToAppend[] = [];
  steps.forEach((step, index) => {
    const decision = decide(state, step.command, { at: step.at, ticketId });
    if (decision instanceof DomainError)
      throw new Error(`step ${index} (${step.command.type}) of ${ticketId}: ${decision.code} ${decision.message}`);
    const commandId = eventIdFor(`${ticketId}/step`, index);
    const envelope: CommandEnvelope = { commandId, correlationId: commandId, causationId: commandId, caller: CALLER };
    decision.forEach((event, n) => {
      // The domain's events are plain JSON by construction: the codec's shape is the port's EventToAppend.
      events.push(encodeTicketEvent(step.command, event, envelope, eventIdFor(commandId, n)) as EventToAppend);
      state = evolve(state, event);
    });
  });
  return { events, state };
}
