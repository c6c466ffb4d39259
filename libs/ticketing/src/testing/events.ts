import type {
  EscalationSchedule,
  Phase,
  TicketBreachWarned,
  TicketClaimed,
  TicketClaimedData,
  TicketClosed,
  TicketClosedData,
  TicketDelayed,
  TicketEscalated,
  TicketEscalatedData,
  TicketOpened,
  TicketOpenedData,
  TicketPutOnHold,
  TicketReclassified,
  TicketReclassifiedData,
  TicketReleased,
  TicketReleasedData,
  TicketReopened,
  TicketReopenedData,
  TicketResponded,
  TicketRespondedData,
  TicketResumed,
  TicketResumedData,
  TicketRouted,
  TicketRoutedData,
  TicketSurveyed,
  TicketSurveyedData,
} from '../ticket/events.js';
import { CALENDAR_TIME_ID as CALENDAR_24_7, DEFAULT_TERMS } from '../sla/terms.js';
import { duration } from './time.js';

/**
 * Past events for the `given` of a spec, and expected events for its `then`. Defaults follow
 * the default policy (claim 30 min, response 4 h, resolution 3 days after the clock starts),
 * so a spec states only what it is about.
 */

export const TICKET_ID = '5f0c2f4e-8a61-4f7e-9d43-2b7f0e1c9a10';

/** `instant` plus a duration such as '30m' (for due times). */
export function plus(instant: string, offset: string): string {
  return new Date(Date.parse(instant) + duration(offset)).toISOString();
}

export const CLAIM_TARGET = '30m';
export const RESPONSE_TARGET = '4h';
export const RESOLUTION_TARGET = '3d';

export function opened(occurredAt: string, data: Partial<TicketOpenedData> = {}): TicketOpened {
  return {
    type: 'TicketOpened',
    data: {
      ticketId: TICKET_ID,
      channel: 'phone',
      customer: 'customer-1',
      customerTier: null,
      category: 'billing',
      priority: 'normal',
      product: null,
      subject: 'Invoice charged twice',
      unitId: 'front',
      ...DEFAULT_TERMS,
      calendarId: CALENDAR_24_7,
      claimDueAt: plus(occurredAt, CLAIM_TARGET),
      responseDueAt: plus(occurredAt, RESPONSE_TARGET),
      resolutionDueAt: plus(occurredAt, RESOLUTION_TARGET),
      ...data,
    },
    occurredAt,
  };
}

export function routed(
  occurredAt: string,
  data: Pick<TicketRoutedData, 'fromUnitId' | 'toUnitId'> & Partial<TicketRoutedData>,
): TicketRouted {
  return {
    type: 'TicketRouted',
    data: { reason: 'wrong unit', userId: null, claimClock: DEFAULT_TERMS.claimClock, claimDueAt: plus(occurredAt, CLAIM_TARGET), ...data },
    occurredAt,
  };
}

export function claimed(
  occurredAt: string,
  data: Pick<TicketClaimedData, 'userId' | 'unitId'> & Partial<TicketClaimedData>,
): TicketClaimed {
  return { type: 'TicketClaimed', data: { assignedBy: null, ...data }, occurredAt };
}

export function released(occurredAt: string, data: Pick<TicketReleasedData, 'userId'> & Partial<TicketReleasedData>): TicketReleased {
  return {
    type: 'TicketReleased',
    data: { reason: 'shift ended', claimClock: DEFAULT_TERMS.claimClock, claimDueAt: plus(occurredAt, CLAIM_TARGET), ...data },
    occurredAt,
  };
}

export function responded(occurredAt: string, data: Pick<TicketRespondedData, 'userId'> & Partial<TicketRespondedData>): TicketResponded {
  return { type: 'TicketResponded', data: { channel: 'phone', solution: false, ...data }, occurredAt };
}

export function putOnHold(occurredAt: string, userId: string, reason = 'awaiting customer'): TicketPutOnHold {
  return { type: 'TicketPutOnHold', data: { userId, reason }, occurredAt };
}

export function resumed(occurredAt: string, data: TicketResumedData): TicketResumed {
  return { type: 'TicketResumed', data, occurredAt };
}

export function reclassified(
  occurredAt: string,
  data: Omit<TicketReclassifiedData, 'policyId' | 'responseClock' | 'resolutionClock'> & Partial<TicketReclassifiedData>,
): TicketReclassified {
  const { policyId, responseClock, resolutionClock } = DEFAULT_TERMS;
  return { type: 'TicketReclassified', data: { policyId, responseClock, resolutionClock, ...data }, occurredAt };
}

export function delayed(
  occurredAt: string,
  phase: Phase,
  data: { unitId: string; userId?: string | null; dueAt: string; escalation?: EscalationSchedule | null },
): TicketDelayed {
  return {
    type: 'TicketDelayed',
    data: { phase, unitId: data.unitId, userId: data.userId ?? null, dueAt: data.dueAt, escalation: data.escalation ?? null },
    occurredAt,
  };
}

export function warned(
  occurredAt: string,
  phase: Phase,
  data: { threshold: number; dueAt: string; warnAt: string; unitId: string; userId?: string | null },
): TicketBreachWarned {
  return { type: 'TicketBreachWarned', data: { phase, ...data, userId: data.userId ?? null }, occurredAt };
}

export function escalated(occurredAt: string, data: Partial<TicketEscalatedData> = {}): TicketEscalated {
  return {
    type: 'TicketEscalated',
    data: {
      level: 1,
      reason: 'customer threatens to leave',
      by: 'system',
      ruleId: null,
      phase: null,
      toUnitId: null,
      toUserId: null,
      nextLevelAt: null,
      ...data,
    },
    occurredAt,
  };
}

export function closed(occurredAt: string, data: Pick<TicketClosedData, 'userId' | 'unitId'> & Partial<TicketClosedData>): TicketClosed {
  return { type: 'TicketClosed', data: { resolution: 'resolved', requestMet: true, ...data }, occurredAt };
}

export function reopened(occurredAt: string, data: Pick<TicketReopenedData, 'unitId'> & Partial<TicketReopenedData>): TicketReopened {
  return {
    type: 'TicketReopened',
    data: {
      userId: null,
      reason: 'customer called again',
      policyId: DEFAULT_TERMS.policyId,
      claimClock: DEFAULT_TERMS.claimClock,
      responseClock: DEFAULT_TERMS.responseClock,
      resolutionClock: DEFAULT_TERMS.resolutionClock,
      claimDueAt: plus(occurredAt, CLAIM_TARGET),
      responseDueAt: plus(occurredAt, RESPONSE_TARGET),
      resolutionDueAt: plus(occurredAt, RESOLUTION_TARGET),
      ...data,
    },
    occurredAt,
  };
}

export function surveyed(occurredAt: string, data: Partial<TicketSurveyedData> = {}): TicketSurveyed {
  return {
    type: 'TicketSurveyed',
    data: { score: 5, resolved: true, resolvedOnFirstContact: true, channel: 'sms', comment: null, ...data },
    occurredAt,
  };
}
