/**
 * The events of a ticket stream (`ticket-<uuid>`). Type names are stable strings stored in
 * the event store: never rename one; a changed shape gets a new `schemaVersion` and an upcaster.
 * Instants are ISO-8601 UTC strings with milliseconds. A due time of `null` means "no target".
 */

import type { ClockTerms } from '../sla/terms.js';

/**
 * 2: clocks record their terms (`claimClock`, `responseClock`, `resolutionClock`, `policyId`).
 * 3: escalation by rule — `TicketEscalated` names its rule, phase, target and next level; `TicketDelayed` its escalation schedule.
 * Older events are upcast (codec.ts).
 */
export const TICKET_EVENT_SCHEMA_VERSION = 3;

export type Phase = 'claim' | 'response' | 'resolution';
export type Resolution = 'resolved' | 'not_resolved' | 'duplicate' | 'cancelled';

export interface TicketOpenedData {
  ticketId: string;
  channel: string;
  customer: string;
  customerTier: string | null;
  category: string;
  priority: string;
  product: string | null;
  subject: string;
  unitId: string;
  /** the calendar version of the policy's business targets (the unit's by default) */
  calendarId: string;
  /** the policy version the clocks' terms came from */
  policyId: string | null;
  claimClock: ClockTerms | null;
  responseClock: ClockTerms | null;
  resolutionClock: ClockTerms | null;
  claimDueAt: string | null;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
}

export interface TicketRoutedData {
  fromUnitId: string;
  toUnitId: string;
  reason: string;
  /** the holder who routed it; null when an unclaimed ticket was routed (triage) */
  userId: string | null;
  /** the new pool wait's claim clock: the policy in force at the route, the new unit's calendar by default */
  claimClock: ClockTerms | null;
  claimDueAt: string | null;
}

export interface TicketClaimedData {
  userId: string;
  unitId: string;
  /** the supervisor who assigned it; null for a self-claim */
  assignedBy: string | null;
}

export interface TicketReleasedData {
  userId: string;
  reason: string;
  claimClock: ClockTerms | null;
  claimDueAt: string | null;
}

export interface TicketRespondedData {
  userId: string;
  channel: string;
  solution: boolean;
}

export interface TicketPutOnHoldData {
  userId: string;
  reason: string;
}

export interface TicketResumedData {
  userId: string;
  /**
   * the due times moved by the time on hold; unchanged for the response phase once answered, and
   * for a due time that had already passed when the hold began (the phase was late from then on)
   */
  responseDueAt: string | null;
  resolutionDueAt: string | null;
}

export interface TicketReclassifiedData {
  userId: string | null;
  category: string;
  priority: string;
  /** the new policy's terms for the cycle's response and resolution clocks (the pool wait's claim clock keeps its own) */
  policyId: string | null;
  responseClock: ClockTerms | null;
  resolutionClock: ClockTerms | null;
  /** recomputed due times of the cycle's phases; unchanged for a phase that had completed or was already past due */
  responseDueAt: string | null;
  resolutionDueAt: string | null;
}

export interface TicketDelayedData {
  phase: Phase;
  unitId: string;
  /** the holder at the due time; null for claim delays and for tickets in a pool at the due time */
  userId: string | null;
  dueAt: string;
  /**
   * The escalation schedule of the rule matched at the due (issue 11), written by the watchdog's
   * delay of a phase still open: each level's instant. Null: no rule, or a command that completed the phase late.
   */
  escalation: EscalationSchedule | null;
}

export interface EscalationSchedule {
  /** the rule version (`late-billing@2`) */
  ruleId: string;
  levels: Array<{ level: number; at: string }>;
}

/**
 * A breach warning (issue 11): `threshold`% of the phase's target had elapsed at `warnAt`, in
 * the clock's calendar, holds excluded. Attributed like a delay: to the unit, and for
 * response/resolution the user, holding the ticket at `warnAt`. `occurredAt` is when it was
 * written (the watchdog's detection), `warnAt` when it was due.
 */
export interface TicketBreachWarnedData {
  phase: Phase;
  /** percent of the target, 1–99 */
  threshold: number;
  dueAt: string;
  warnAt: string;
  unitId: string;
  /** the holder at warnAt; null for claim warnings and for tickets in a pool then */
  userId: string | null;
}

export interface TicketEscalatedData {
  level: number;
  reason: string;
  /** a user id, or 'system' */
  by: string;
  /** the rule version of a system escalation; null for a manual one */
  ruleId: string | null;
  /** the late phase a rule escalated; null for a manual one */
  phase: Phase | null;
  /** the unit escalated to (a manual escalation's routed unit, if any) */
  toUnitId: string | null;
  /** the supervisor escalated to, when known */
  toUserId: string | null;
  /** when the rule's next level is due, if it has one */
  nextLevelAt: string | null;
}

export interface TicketClosedData {
  /** null when an unclaimed ticket was closed by the calling service */
  userId: string | null;
  unitId: string;
  resolution: Resolution;
  requestMet: boolean;
}

export interface TicketReopenedData {
  userId: string | null;
  reason: string;
  unitId: string;
  policyId: string | null;
  claimClock: ClockTerms | null;
  responseClock: ClockTerms | null;
  resolutionClock: ClockTerms | null;
  claimDueAt: string | null;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
}

export interface TicketSurveyedData {
  score: number;
  resolved: boolean | null;
  resolvedOnFirstContact: boolean | null;
  channel: string;
  comment: string | null;
}

interface Event<Type extends string, Data> {
  type: Type;
  data: Data;
  /** when it happened in the business (stored in the event's metadata) */
  occurredAt: string;
}

export type TicketOpened = Event<'TicketOpened', TicketOpenedData>;
export type TicketRouted = Event<'TicketRouted', TicketRoutedData>;
export type TicketClaimed = Event<'TicketClaimed', TicketClaimedData>;
export type TicketReleased = Event<'TicketReleased', TicketReleasedData>;
export type TicketResponded = Event<'TicketResponded', TicketRespondedData>;
export type TicketPutOnHold = Event<'TicketPutOnHold', TicketPutOnHoldData>;
export type TicketResumed = Event<'TicketResumed', TicketResumedData>;
export type TicketReclassified = Event<'TicketReclassified', TicketReclassifiedData>;
export type TicketDelayed = Event<'TicketDelayed', TicketDelayedData>;
export type TicketBreachWarned = Event<'TicketBreachWarned', TicketBreachWarnedData>;
export type TicketEscalated = Event<'TicketEscalated', TicketEscalatedData>;
export type TicketClosed = Event<'TicketClosed', TicketClosedData>;
export type TicketReopened = Event<'TicketReopened', TicketReopenedData>;
export type TicketSurveyed = Event<'TicketSurveyed', TicketSurveyedData>;

export type TicketEvent =
  | TicketOpened
  | TicketRouted
  | TicketClaimed
  | TicketReleased
  | TicketResponded
  | TicketPutOnHold
  | TicketResumed
  | TicketReclassified
  | TicketDelayed
  | TicketBreachWarned
  | TicketEscalated
  | TicketClosed
  | TicketReopened
  | TicketSurveyed;

export type TicketEventType = TicketEvent['type'];

export const TICKET_EVENT_TYPES: readonly TicketEventType[] = [
  'TicketOpened',
  'TicketRouted',
  'TicketClaimed',
  'TicketReleased',
  'TicketResponded',
  'TicketPutOnHold',
  'TicketResumed',
  'TicketReclassified',
  'TicketDelayed',
  'TicketBreachWarned',
  'TicketEscalated',
  'TicketClosed',
  'TicketReopened',
  'TicketSurveyed',
];

export function isTicketEventType(type: string): type is TicketEventType {
  return (TICKET_EVENT_TYPES as readonly string[]).includes(type);
}

export const TICKET_STREAM_PREFIX = 'ticket-';

export function ticketStreamId(ticketId: string): string {
  return `${TICKET_STREAM_PREFIX}${ticketId}`;
}
