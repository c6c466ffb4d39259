import { COMMAND_ID_NAMESPACE, uuidV5 } from '#event-store';
import type { CommandEnvelope, OpenDeadline } from '#ticketing';

/** The calling service the watchdog's events record beside their `system` actor. */
export const WATCHDOG_CALLER: CommandEnvelope['caller'] = { service: 'sla-watchdog', apiKeyId: 'sla-watchdog' };

/**
 * The command id of what the watchdog writes for one phase instance — its delay, or its breach
 * warnings (`label` names the thresholds) — the same for every watchdog and every retry (its event
 * ids follow from it), so a repeat append is one the store already holds. A delay's id is the one
 * part 1 wrote, so a watchdog of either build repeats the other's.
 */
export function watchdogCommandId(ticketId: string, deadline: OpenDeadline, label: string): string {
  const base = `sla-watchdog/${ticketId}/${deadline.phase}/${deadline.instance}/${deadline.dueAt}`;
  return uuidV5(deadline.kind === 'delay' ? base : `${base}/${label}`, COMMAND_ID_NAMESPACE);
}

export function delayEnvelope(commandId: string): CommandEnvelope {
  // A delay answers no request: it correlates with, and is caused by, its own detection.
  return { commandId, correlationId: commandId, causationId: commandId, caller: WATCHDOG_CALLER };
}
