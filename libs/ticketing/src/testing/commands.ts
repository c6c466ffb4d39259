import type {
  ClaimTicket,
  CloseTicket,
  EscalateTicket,
  MarkTicketDelayed,
  WarnOfBreach,
  OpenTicket,
  PutTicketOnHold,
  ReclassifyTicket,
  ReleaseTicket,
  ReopenTicket,
  RespondToTicket,
  ResumeTicket,
  RouteTicket,
  SurveyTicket,
} from '../ticket/commands.js';
import type { Phase } from '../ticket/events.js';

/** Commands for the `when` of a spec, with the same defaults as the event builders. */

export function open(data: Partial<OpenTicket['data']> = {}): OpenTicket {
  return {
    type: 'OpenTicket',
    data: {
      channel: 'phone',
      customer: 'customer-1',
      category: 'billing',
      priority: 'normal',
      subject: 'Invoice charged twice',
      unitId: 'front',
      ...data,
    },
  };
}

export function route(toUnitId: string, data: Partial<RouteTicket['data']> = {}): RouteTicket {
  return { type: 'RouteTicket', data: { toUnitId, reason: 'wrong unit', ...data } };
}

export function claim(userId: string, assignedBy?: string): ClaimTicket {
  return { type: 'ClaimTicket', data: assignedBy === undefined ? { userId } : { userId, assignedBy } };
}

export function release(userId: string, reason = 'shift ended'): ReleaseTicket {
  return { type: 'ReleaseTicket', data: { userId, reason } };
}

export function respond(userId: string, data: Partial<RespondToTicket['data']> = {}): RespondToTicket {
  return { type: 'RespondToTicket', data: { userId, solution: false, ...data } };
}

export function hold(userId: string, reason = 'awaiting customer'): PutTicketOnHold {
  return { type: 'PutTicketOnHold', data: { userId, reason } };
}

export function resume(userId: string): ResumeTicket {
  return { type: 'ResumeTicket', data: { userId } };
}

export function reclassify(data: ReclassifyTicket['data']): ReclassifyTicket {
  return { type: 'ReclassifyTicket', data };
}

export function escalate(data: Partial<EscalateTicket['data']> = {}): EscalateTicket {
  return { type: 'EscalateTicket', data: { reason: 'customer threatens to leave', ...data } };
}

export function close(userId: string | null, data: Partial<CloseTicket['data']> = {}): CloseTicket {
  return { type: 'CloseTicket', data: { userId, resolution: 'resolved', requestMet: true, ...data } };
}

export function reopen(userId: string | null = null, reason = 'customer called again'): ReopenTicket {
  return { type: 'ReopenTicket', data: { userId, reason } };
}

export function survey(data: Partial<SurveyTicket['data']> = {}): SurveyTicket {
  return { type: 'SurveyTicket', data: { score: 5, resolved: true, resolvedOnFirstContact: true, channel: 'sms', comment: null, ...data } };
}

export function warnOfBreach(phase: Phase, threshold: number): WarnOfBreach {
  return { type: 'WarnOfBreach', data: { phase, threshold } };
}

export function markDelayed(phase: Phase): MarkTicketDelayed {
  return { type: 'MarkTicketDelayed', data: { phase } };
}
