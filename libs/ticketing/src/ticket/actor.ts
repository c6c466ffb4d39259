import type { TicketCommand } from './commands.js';
import type { TicketEvent } from './events.js';

/**
 * Who did what an event records, for the audit log. `user`: a person acted (a supervisor who
 * assigns is the actor, the assignee stays in the data); `service`: the calling service acted
 * without naming a person (a web form's open, an SMS survey); `system`: the system noted a fact
 * of its own (a delay found late, the watchdog, a rule's escalation). The calling service and
 * API key are recorded beside it in every case.
 */
export type ActorKind = 'user' | 'service' | 'system';

export interface EventActor {
  kind: ActorKind;
  /** the person, for kind `user`; null otherwise */
  userId: string | null;
}

const SYSTEM: EventActor = { kind: 'system', userId: null };

function person(userId: string | null | undefined): EventActor {
  return userId ? { kind: 'user', userId } : { kind: 'service', userId: null };
}

/** The actor of one event a command produced. */
export function actorOf(command: TicketCommand, event: TicketEvent): EventActor {
  // A delay is found by the system, whichever command's append carries it.
  if (event.type === 'TicketDelayed' || event.type === 'TicketBreachWarned') return SYSTEM;
  switch (command.type) {
    case 'OpenTicket':
      return person(command.data.claimBy);
    case 'ClaimTicket':
      return person(command.data.assignedBy ?? command.data.userId);
    case 'RouteTicket':
    case 'ReclassifyTicket':
    case 'CloseTicket':
    case 'ReopenTicket':
    case 'ReleaseTicket':
    case 'RespondToTicket':
    case 'PutTicketOnHold':
    case 'ResumeTicket':
      return person(command.data.userId);
    case 'EscalateTicket':
      // decide records `by: system` for an escalation that names no user: a rule's.
      return command.data.userId ? person(command.data.userId) : SYSTEM;
    case 'SurveyTicket':
      return person(null);
    case 'MarkTicketDelayed':
    case 'WarnOfBreach':
      return SYSTEM;
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
}
