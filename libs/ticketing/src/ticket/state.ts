import type { EscalationSchedule, TicketEvent } from './events.js';
import type { ClockTerms } from '../sla/terms.js';

/**
 * A ticket's state, folded from its stream by `evolve`. Plain data: what `decide` needs to
 * enforce the lifecycle and to tell whether a phase completes late, and what the audit
 * endpoints show.
 */

export type TicketStatus = 'in_pool' | 'in_progress' | 'on_hold' | 'closed';

/** Who had the ticket from an instant on, within the current cycle (for delay attribution). */
export interface Custody {
  from: string;
  unitId: string;
  userId: string | null;
}

/** The open pool wait: the ticket sits unclaimed in `unitId`'s pool. */
export interface PoolWait {
  unitId: string;
  startedAt: string;
  claimClock: ClockTerms | null;
  claimDueAt: string | null;
  delayed: boolean;
  /** the breach-warning thresholds already written for this pool wait, ascending */
  warned: number[];
  /** the escalation schedule its claim delay recorded; null when none (no rule, or not delayed by the watchdog) */
  escalation: EscalationSchedule | null;
}

/** A finished hold of the current cycle: [from, to). */
export interface HoldSpan {
  from: string;
  to: string;
}

/** From an opening or reopening to the next close. */
export interface Cycle {
  number: number;
  startedAt: string;
  /** the policy version and clock terms in force for this cycle (set at its start or by a reclassification) */
  policyId: string | null;
  responseClock: ClockTerms | null;
  resolutionClock: ClockTerms | null;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  respondedAt: string | null;
  responseDelayed: boolean;
  resolutionDelayed: boolean;
  /** the breach-warning thresholds already written for this cycle's phases, ascending */
  responseWarned: number[];
  resolutionWarned: number[];
  /** the escalation schedules the cycle's delays recorded (the response's stops once answered, both at the close) */
  responseEscalation: EscalationSchedule | null;
  resolutionEscalation: EscalationSchedule | null;
  /** time spent on hold in this cycle, already added to the due times */
  pausedMs: number;
  /** the cycle's finished holds, in order (a reclassification replays them under the new terms) */
  holds: HoldSpan[];
  custody: Custody[];
}

export interface LastClose {
  closedAt: string;
  userId: string | null;
  unitId: string;
  resolution: string;
  requestMet: boolean;
  surveyed: boolean;
}

export interface ExistingTicket {
  exists: true;
  ticketId: string;
  /** revision of the last event folded (0-based) */
  revision: number;
  lastOccurredAt: string;
  openedAt: string;
  channel: string;
  customer: string;
  customerTier: string | null;
  category: string;
  priority: string;
  product: string | null;
  subject: string;
  calendarId: string;
  status: TicketStatus;
  /** the pool's unit, the holder's unit, or for a closed ticket the closing unit */
  unitId: string;
  holder: string | null;
  hold: { startedAt: string; reason: string } | null;
  poolWait: PoolWait | null;
  cycle: Cycle;
  lastClose: LastClose | null;
  escalationLevel: number;
  routes: number;
  responses: number;
  reopens: number;
  closes: number;
  surveys: number;
}

export interface NoTicket {
  exists: false;
  revision: -1;
}

export type TicketState = NoTicket | ExistingTicket;

export const initialState: TicketState = { exists: false, revision: -1 };

function elapsedMs(fromIso: string, toIso: string): number {
  return Date.parse(toIso) - Date.parse(fromIso);
}

function newPoolWait(unitId: string, at: string, d: { claimClock: ClockTerms | null; claimDueAt: string | null }): PoolWait {
  return { unitId, startedAt: at, claimClock: d.claimClock, claimDueAt: d.claimDueAt, delayed: false, warned: [], escalation: null };
}

function enterPool(
  ticket: ExistingTicket,
  unitId: string,
  at: string,
  d: { claimClock: ClockTerms | null; claimDueAt: string | null },
): ExistingTicket {
  return {
    ...ticket,
    status: 'in_pool',
    unitId,
    holder: null,
    hold: null,
    poolWait: newPoolWait(unitId, at, d),
    cycle: { ...ticket.cycle, custody: [...ticket.cycle.custody, { from: at, unitId, userId: null }] },
  };
}

/** A new cycle (opening or reopening): its due times come from the event that starts it. */
function startCycle(
  number: number,
  at: string,
  d: {
    unitId: string;
    policyId: string | null;
    responseClock: ClockTerms | null;
    resolutionClock: ClockTerms | null;
    responseDueAt: string | null;
    resolutionDueAt: string | null;
  },
): Cycle {
  return {
    number,
    startedAt: at,
    policyId: d.policyId,
    responseClock: d.responseClock,
    resolutionClock: d.resolutionClock,
    responseDueAt: d.responseDueAt,
    resolutionDueAt: d.resolutionDueAt,
    respondedAt: null,
    responseDelayed: false,
    resolutionDelayed: false,
    responseWarned: [],
    resolutionWarned: [],
    responseEscalation: null,
    resolutionEscalation: null,
    pausedMs: 0,
    holds: [],
    custody: [{ from: at, unitId: d.unitId, userId: null }],
  };
}

function existing(state: TicketState, type: string): ExistingTicket {
  if (!state.exists) throw new Error(`${type} cannot be applied to a stream without TicketOpened`);
  return state;
}

export function evolve(state: TicketState, event: TicketEvent): TicketState {
  const at = event.occurredAt;
  if (event.type === 'TicketOpened') {
    if (state.exists) throw new Error('TicketOpened applied to a ticket that already exists');
    const d = event.data;
    return {
      exists: true,
      ticketId: d.ticketId,
      revision: 0,
      lastOccurredAt: at,
      openedAt: at,
      channel: d.channel,
      customer: d.customer,
      customerTier: d.customerTier,
      category: d.category,
      priority: d.priority,
      product: d.product,
      subject: d.subject,
      calendarId: d.calendarId,
      status: 'in_pool',
      unitId: d.unitId,
      holder: null,
      hold: null,
      poolWait: newPoolWait(d.unitId, at, d),
      cycle: startCycle(1, at, d),
      lastClose: null,
      escalationLevel: 0,
      routes: 0,
      responses: 0,
      reopens: 0,
      closes: 0,
      surveys: 0,
    };
  }
  const before = existing(state, event.type);
  const ticket: ExistingTicket = { ...before, revision: before.revision + 1, lastOccurredAt: at };
  switch (event.type) {
    case 'TicketRouted':
      return { ...enterPool(ticket, event.data.toUnitId, at, event.data), routes: ticket.routes + 1 };
    case 'TicketClaimed':
      return {
        ...ticket,
        status: 'in_progress',
        unitId: event.data.unitId,
        holder: event.data.userId,
        poolWait: null,
        cycle: { ...ticket.cycle, custody: [...ticket.cycle.custody, { from: at, unitId: event.data.unitId, userId: event.data.userId }] },
      };
    case 'TicketReleased':
      return enterPool(ticket, ticket.unitId, at, event.data);
    case 'TicketResponded':
      return {
        ...ticket,
        responses: ticket.responses + 1,
        cycle: ticket.cycle.respondedAt === null ? { ...ticket.cycle, respondedAt: at } : ticket.cycle,
      };
    case 'TicketPutOnHold':
      return { ...ticket, status: 'on_hold', hold: { startedAt: at, reason: event.data.reason } };
    case 'TicketResumed':
      return {
        ...ticket,
        status: 'in_progress',
        hold: null,
        cycle: {
          ...ticket.cycle,
          pausedMs: ticket.cycle.pausedMs + (ticket.hold ? elapsedMs(ticket.hold.startedAt, at) : 0),
          holds: ticket.hold ? [...ticket.cycle.holds, { from: ticket.hold.startedAt, to: at }] : ticket.cycle.holds,
          responseDueAt: event.data.responseDueAt,
          resolutionDueAt: event.data.resolutionDueAt,
        },
      };
    case 'TicketReclassified':
      return {
        ...ticket,
        category: event.data.category,
        priority: event.data.priority,
        cycle: {
          ...ticket.cycle,
          policyId: event.data.policyId,
          responseClock: event.data.responseClock,
          resolutionClock: event.data.resolutionClock,
          responseDueAt: event.data.responseDueAt,
          resolutionDueAt: event.data.resolutionDueAt,
        },
      };
    case 'TicketDelayed': {
      const escalation = event.data.escalation ?? null;
      switch (event.data.phase) {
        case 'claim':
          return { ...ticket, poolWait: ticket.poolWait ? { ...ticket.poolWait, delayed: true, escalation } : null };
        case 'response':
          return { ...ticket, cycle: { ...ticket.cycle, responseDelayed: true, responseEscalation: escalation } };
        case 'resolution':
          return { ...ticket, cycle: { ...ticket.cycle, resolutionDelayed: true, resolutionEscalation: escalation } };
        default: {
          const unknownPhase: never = event.data.phase;
          throw new Error(`unknown phase ${String(unknownPhase)}`);
        }
      }
    }
    case 'TicketBreachWarned': {
      const threshold = event.data.threshold;
      const add = (warned: number[]) => [...warned, threshold].sort((a, b) => a - b);
      switch (event.data.phase) {
        case 'claim':
          return { ...ticket, poolWait: ticket.poolWait ? { ...ticket.poolWait, warned: add(ticket.poolWait.warned) } : null };
        case 'response':
          return { ...ticket, cycle: { ...ticket.cycle, responseWarned: add(ticket.cycle.responseWarned) } };
        case 'resolution':
          return { ...ticket, cycle: { ...ticket.cycle, resolutionWarned: add(ticket.cycle.resolutionWarned) } };
        default: {
          const unknownPhase: never = event.data.phase;
          throw new Error(`unknown phase ${String(unknownPhase)}`);
        }
      }
    }
    case 'TicketEscalated':
      return { ...ticket, escalationLevel: event.data.level };
    case 'TicketClosed':
      return {
        ...ticket,
        status: 'closed',
        unitId: event.data.unitId,
        holder: null,
        hold: null,
        poolWait: null,
        closes: ticket.closes + 1,
        lastClose: {
          closedAt: at,
          userId: event.data.userId,
          unitId: event.data.unitId,
          resolution: event.data.resolution,
          requestMet: event.data.requestMet,
          surveyed: false,
        },
        cycle: {
          ...ticket.cycle,
          pausedMs: ticket.cycle.pausedMs + (ticket.hold ? elapsedMs(ticket.hold.startedAt, at) : 0),
          holds: ticket.hold ? [...ticket.cycle.holds, { from: ticket.hold.startedAt, to: at }] : ticket.cycle.holds,
          custody: [...ticket.cycle.custody, { from: at, unitId: event.data.unitId, userId: null }],
        },
      };
    case 'TicketReopened': {
      const d = event.data;
      return {
        ...ticket,
        status: 'in_pool',
        unitId: d.unitId,
        holder: null,
        hold: null,
        reopens: ticket.reopens + 1,
        poolWait: newPoolWait(d.unitId, at, d),
        cycle: startCycle(ticket.cycle.number + 1, at, d),
      };
    }
    case 'TicketSurveyed':
      return {
        ...ticket,
        surveys: ticket.surveys + 1,
        lastClose: ticket.lastClose ? { ...ticket.lastClose, surveyed: true } : null,
      };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled event ${JSON.stringify(unhandled)}`);
    }
  }
}

export function fold(events: Iterable<TicketEvent>, state: TicketState = initialState): TicketState {
  let current = state;
  for (const event of events) current = evolve(current, event);
  return current;
}

/** Who held the ticket at `instant` in the current cycle: the last custody entry at or before it. */
export function custodyAt(cycle: Cycle, instant: string): Custody {
  const t = Date.parse(instant);
  let found = cycle.custody[0];
  for (const entry of cycle.custody) {
    if (Date.parse(entry.from) <= t) found = entry;
    else break;
  }
  return found;
}
