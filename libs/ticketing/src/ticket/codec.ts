import { actorOf, type EventActor } from './actor.js';
import type { TicketCommand, TicketCommandType } from './commands.js';
import { isTicketEventType, TICKET_EVENT_SCHEMA_VERSION, type TicketEvent, type TicketEventType } from './events.js';
import { DEFAULT_TERMS, type ClockTerms } from '../sla/terms.js';

/**
 * Between domain events and what the store keeps: `data` as stored, `occurredAt` and the
 * schema version in the metadata (DESIGN.md "The ticket stream").
 */
export interface StoredEventShape {
  type: string;
  data: object;
  metadata: { [key: string]: unknown };
}

/** A stored event this build cannot read: an unknown type, another schema version, no occurredAt. */
export class TicketEventDecodeError extends Error {
  constructor(
    readonly eventType: string,
    reason: string,
  ) {
    super(`event ${eventType}: ${reason}`);
    this.name = 'TicketEventDecodeError';
  }
}

export function decodeTicketEvent(stored: StoredEventShape): TicketEvent {
  if (!isTicketEventType(stored.type)) throw new TicketEventDecodeError(stored.type, 'unknown ticket event type');
  const occurredAt = stored.metadata.occurredAt;
  if (typeof occurredAt !== 'string') throw new TicketEventDecodeError(stored.type, 'no occurredAt in its metadata');
  const version = stored.metadata.schemaVersion ?? TICKET_EVENT_SCHEMA_VERSION;
  if (version === 1)
    return { type: stored.type, data: upcastV2(stored.type, upcastV1(stored.type, stored.data)), occurredAt } as TicketEvent;
  if (version === 2) return { type: stored.type, data: upcastV2(stored.type, stored.data), occurredAt } as TicketEvent;
  if (version !== TICKET_EVENT_SCHEMA_VERSION) {
    throw new TicketEventDecodeError(
      stored.type,
      `schema version ${String(version)}; this build reads 1 to ${TICKET_EVENT_SCHEMA_VERSION}`,
    );
  }
  return { type: stored.type, data: stored.data, occurredAt } as TicketEvent;
}

/**
 * Version 1 events were all decided under the one built-in policy in calendar time: their clocks'
 * terms are that policy's, for every clock that had a due time (with its breach warnings: an open
 * ticket from before warnings existed is warned of like a new one under `default@1`).
 */
function upcastV1(type: TicketEventType, data: object): object {
  const d = data as { claimDueAt?: string | null; responseDueAt?: string | null; resolutionDueAt?: string | null };
  const clock = (due: string | null | undefined, terms: ClockTerms | null) => (due === null || due === undefined ? null : terms);
  const claimClock = clock(d.claimDueAt, DEFAULT_TERMS.claimClock);
  const cycle = {
    policyId: DEFAULT_TERMS.policyId,
    responseClock: clock(d.responseDueAt, DEFAULT_TERMS.responseClock),
    resolutionClock: clock(d.resolutionDueAt, DEFAULT_TERMS.resolutionClock),
  };
  switch (type) {
    case 'TicketOpened':
    case 'TicketReopened':
      return { ...data, ...cycle, claimClock };
    case 'TicketRouted':
    case 'TicketReleased':
      return { ...data, claimClock };
    case 'TicketReclassified':
      return { ...data, ...cycle };
    case 'TicketClaimed':
    case 'TicketResponded':
    case 'TicketPutOnHold':
    case 'TicketResumed':
    case 'TicketDelayed':
    case 'TicketBreachWarned':
    case 'TicketEscalated':
    case 'TicketClosed':
    case 'TicketSurveyed':
      return data;
    default: {
      const unknownType: never = type;
      throw new TicketEventDecodeError(String(unknownType), 'unknown ticket event type');
    }
  }
}

/** Version 2 escalations were all manual, and delays had no escalation schedule. */
function upcastV2(type: TicketEventType, data: object): object {
  if (type === 'TicketEscalated') return { ruleId: null, phase: null, toUnitId: null, toUserId: null, nextLevelAt: null, ...data };
  if (type === 'TicketDelayed') return { escalation: null, ...data };
  return data;
}

/** Whether this build can read a stored event (the audit log shows the others raw, flagged). */
export function isDecodable(stored: StoredEventShape): boolean {
  try {
    decodeTicketEvent(stored);
    return true;
  } catch (error) {
    if (error instanceof TicketEventDecodeError) return false;
    throw error;
  }
}

/**
 * Who sent a command and in answer to what: the one description of a command's origin that the
 * HTTP layer builds, the pipeline carries, and every event the command produces records beside
 * its type and actor (`encodeTicketEvent`, read back by `decodeEventMetadata`).
 */
export interface CommandEnvelope {
  commandId: string;
  correlationId: string;
  causationId: string;
  /** the calling API key */
  caller: { service: string; apiKeyId: string };
  /**
   * The caller stated an instant further back than any live caller may (an importer or an admin
   * replaying history): recorded so the SLA watchdog leaves a ticket alone while its history is
   * still being written (docs/decisions.md "The SLA watchdog").
   */
  backdated?: boolean;
}

/** An event's metadata as stored (DESIGN.md "The ticket stream"). */
export interface TicketEventMetadata extends CommandEnvelope {
  eventId: string;
  commandType: TicketCommandType;
  actor: EventActor & CommandEnvelope['caller'];
  occurredAt: string;
  schemaVersion: number;
}

/** An event as the store takes it (the event-store port's `EventToAppend`, structurally). */
export interface EncodedTicketEvent {
  eventId: string;
  type: TicketEvent['type'];
  data: { [key: string]: unknown };
  metadata: { [key: string]: unknown };
}

/** The one encoding of a decided event with its metadata (DESIGN.md "The ticket stream"). */
export function encodeTicketEvent(
  command: TicketCommand,
  event: TicketEvent,
  envelope: CommandEnvelope,
  eventId: string,
): EncodedTicketEvent {
  return {
    eventId,
    type: event.type,
    data: { ...event.data },
    metadata: {
      eventId,
      commandId: envelope.commandId,
      commandType: command.type,
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
      actor: { ...actorOf(command, event), service: envelope.caller.service, apiKeyId: envelope.caller.apiKeyId },
      occurredAt: event.occurredAt,
      schemaVersion: TICKET_EVENT_SCHEMA_VERSION,
      // Only when set, so every live event's metadata stays as it was.
      ...(envelope.backdated === true ? { backdated: true } : {}),
    } satisfies Omit<TicketEventMetadata, 'caller'>,
  };
}

/**
 * The command an event came from and when it happened, read back from its stored metadata
 * (events written before the actor kinds have an older actor shape: only these fields are read).
 */
export function decodeEventMetadata(stored: StoredEventShape): Pick<TicketEventMetadata, 'commandId' | 'occurredAt'> {
  const { commandId, occurredAt } = stored.metadata;
  if (typeof commandId !== 'string') throw new TicketEventDecodeError(stored.type, 'no commandId in its metadata');
  if (typeof occurredAt !== 'string') throw new TicketEventDecodeError(stored.type, 'no occurredAt in its metadata');
  return { commandId, occurredAt };
}
