import type { ClockTerms, EscalationSchedule, ExistingTicket, HoldSpan } from '#ticketing';

/** A ticket's state as the API shows it: what it is now, or was at an instant. */
export interface TicketView {
  ticketId: string;
  revision: number;
  status: ExistingTicket['status'];
  unitId: string;
  holder: string | null;
  channel: string;
  customer: string;
  customerTier: string | null;
  category: string;
  priority: string;
  product: string | null;
  subject: string;
  calendarId: string;
  openedAt: string;
  lastOccurredAt: string;
  escalationLevel: number;
  hold: { startedAt: string; reason: string } | null;
  poolWait: {
    unitId: string;
    startedAt: string;
    claimClock: ClockTerms | null;
    claimDueAt: string | null;
    delayed: boolean;
    warned: number[];
    escalation: EscalationSchedule | null;
  } | null;
  cycle: {
    number: number;
    startedAt: string;
    policyId: string | null;
    responseClock: ClockTerms | null;
    resolutionClock: ClockTerms | null;
    responseDueAt: string | null;
    resolutionDueAt: string | null;
    respondedAt: string | null;
    responseDelayed: boolean;
    resolutionDelayed: boolean;
    responseWarned: number[];
    resolutionWarned: number[];
    responseEscalation: EscalationSchedule | null;
    resolutionEscalation: EscalationSchedule | null;
    pausedSeconds: number;
    holds: HoldSpan[];
  };
  lastClose: ExistingTicket['lastClose'];
  counts: { routes: number; responses: number; reopens: number; closes: number; surveys: number };
}

export function toTicketView(t: ExistingTicket): TicketView {
  return {
    ticketId: t.ticketId,
    revision: t.revision,
    status: t.status,
    unitId: t.unitId,
    holder: t.holder,
    channel: t.channel,
    customer: t.customer,
    customerTier: t.customerTier,
    category: t.category,
    priority: t.priority,
    product: t.product,
    subject: t.subject,
    calendarId: t.calendarId,
    openedAt: t.openedAt,
    lastOccurredAt: t.lastOccurredAt,
    escalationLevel: t.escalationLevel,
    hold: t.hold,
    poolWait: t.poolWait,
    cycle: {
      number: t.cycle.number,
      startedAt: t.cycle.startedAt,
      policyId: t.cycle.policyId,
      responseClock: t.cycle.responseClock,
      resolutionClock: t.cycle.resolutionClock,
      responseDueAt: t.cycle.responseDueAt,
      resolutionDueAt: t.cycle.resolutionDueAt,
      respondedAt: t.cycle.respondedAt,
      responseDelayed: t.cycle.responseDelayed,
      resolutionDelayed: t.cycle.resolutionDelayed,
      responseWarned: t.cycle.responseWarned,
      resolutionWarned: t.cycle.resolutionWarned,
      responseEscalation: t.cycle.responseEscalation,
      resolutionEscalation: t.cycle.resolutionEscalation,
      pausedSeconds: t.cycle.pausedMs / 1000,
      holds: t.cycle.holds,
    },
    lastClose: t.lastClose,
    counts: { routes: t.routes, responses: t.responses, reopens: t.reopens, closes: t.closes, surveys: t.surveys },
  };
}
