import type { Phase, Resolution } from './events.js';

/**
 * The commands a ticket accepts. `userId` names the person acting (the calling service is in
 * the context, not here). Every command is decided at one instant, `context.at`.
 */

interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
}

export type OpenTicket = Command<
  'OpenTicket',
  {
    channel: string;
    customer: string;
    customerTier?: string | null;
    category: string;
    priority: string;
    product?: string | null;
    subject: string;
    unitId: string;
    /** an agent who opened it on a call and took it at once */
    claimBy?: string | null;
  }
>;
export type RouteTicket = Command<'RouteTicket', { toUnitId: string; reason: string; userId?: string | null }>;
export type ClaimTicket = Command<'ClaimTicket', { userId: string; assignedBy?: string | null }>;
export type ReleaseTicket = Command<'ReleaseTicket', { userId: string; reason: string }>;
export type RespondToTicket = Command<'RespondToTicket', { userId: string; channel?: string | null; solution: boolean }>;
export type PutTicketOnHold = Command<'PutTicketOnHold', { userId: string; reason: string }>;
export type ResumeTicket = Command<'ResumeTicket', { userId: string }>;
export type ReclassifyTicket = Command<'ReclassifyTicket', { userId?: string | null; category?: string; priority?: string }>;
export type EscalateTicket = Command<
  'EscalateTicket',
  {
    /** a user id, or omitted for the system */
    userId?: string | null;
    /** default: one above the current level */
    level?: number | null;
    reason: string;
    /** moves the ticket too: a TicketRouted in the same append */
    toUnitId?: string | null;
    /**
     * The SLA watchdog's escalation by rule: the next level of this late phase's recorded schedule
     * (its target, routing and level come from the rule; `level` and `toUnitId` must be absent)
     */
    phase?: Phase | null;
  }
>;
export type CloseTicket = Command<'CloseTicket', { userId?: string | null; resolution: Resolution; requestMet: boolean }>;
export type ReopenTicket = Command<'ReopenTicket', { userId?: string | null; reason: string }>;
export type SurveyTicket = Command<
  'SurveyTicket',
  {
    score: number;
    resolved?: boolean | null;
    resolvedOnFirstContact?: boolean | null;
    channel: string;
    comment?: string | null;
  }
>;
/** The SLA watchdog's command: the due time of the phase's current instance has passed. */
export type MarkTicketDelayed = Command<'MarkTicketDelayed', { phase: Phase }>;

/**
 * The SLA watchdog's breach warning: `threshold`% of the open phase instance's target has elapsed
 * (it writes any lower threshold not yet warned first).
 */
export type WarnOfBreach = Command<'WarnOfBreach', { phase: Phase; threshold: number }>;

export type TicketCommand =
  | OpenTicket
  | RouteTicket
  | ClaimTicket
  | ReleaseTicket
  | RespondToTicket
  | PutTicketOnHold
  | ResumeTicket
  | ReclassifyTicket
  | EscalateTicket
  | CloseTicket
  | ReopenTicket
  | SurveyTicket
  | MarkTicketDelayed
  | WarnOfBreach;

export type TicketCommandType = TicketCommand['type'];
