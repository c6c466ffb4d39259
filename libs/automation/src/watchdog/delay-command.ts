import { COMMAND_ID_NAMESPACE, uuidV5 } from '#event-store';
import type { CommandEnvelope, OpenDeadline } from '#ticketing';

/** The calling service the watchdog's events record beside their `system` actor. */
export const WATCHDOG_CALLER: CommandEnvelope['caller'] = { service: 'sla-watchdog', apiKeyId: 'sla-watchdog' };

/**
 * The command id of the delay of one phase instance: the same for every watchdog and every
 * retry (its event ids follow from it), so a repeat append is one the store already holds.
 */
export function delayCommandId(ticketId: string, deadline: OpenDeadline): string {
  return uuidV5(`sla-watchdog/${ticketId}/${deadline.phase}/${deadline.instance}/${deadline.dueAt}`, COMMAND_ID_NAMESPACE);
}

export function delayEnvelope(commandId: string): CommandEnvelope {
  // A delay answers no request: it correlates with, and is caused by, its own detection.
  return { commandId, correlationId: commandId, causationId: commandId, caller: WATCHDOG_CALLER };
}
