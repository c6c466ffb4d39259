import type { ReferenceCatalogue, ReferenceMode } from '../reference/catalogue.js';
import type { ClaimTicket, TicketCommand } from './commands.js';
import { DomainError, TicketErrors } from './errors.js';
import type { Phase, TicketDelayed, TicketEvent } from './events.js';
import { custodyAt, type ExistingTicket, type TicketState } from './state.js';
import { defaultPolicy, dueAfter, type SlaPolicy } from '../sla/policy.js';

/**
 * `decide(state, command, context)`: the events a command produces, or the rule it breaks.
 * Pure: time and policy come in through the context.
 *
 * Late completion writes the delay (KPIS.md "Phases and delays"): a command that ends a phase
 * instance after its due time, when no `TicketDelayed` for that instance exists yet (no
 * watchdog ran, an import, a restart), appends that `TicketDelayed` first, in the same append.
 */

export interface DecideContext {
  /** the instant the command happens (ISO-8601), already checked against the clock and role */
  at: string;
  /** the ticket the command addresses (its stream) */
  ticketId: string;
  policy?: SlaPolicy;
  /** the reference data in force and the mode; absent = open mode */
  reference?: { catalogue: ReferenceCatalogue; mode: ReferenceMode };
}

type Draft = TicketEvent[];

function ms(iso: string): number {
  return Date.parse(iso);
}

function requireExisting(state: TicketState, ticketId: string): ExistingTicket {
  if (!state.exists) throw TicketErrors.notFound(ticketId);
  return state;
}

function requireOpen(ticket: ExistingTicket): void {
  if (ticket.status === 'closed') throw TicketErrors.closed();
}

function requireHolder(ticket: ExistingTicket, userId: string): string {
  requireOpen(ticket);
  if (ticket.holder === null) throw TicketErrors.notHeld();
  if (ticket.holder !== userId) throw TicketErrors.notHolder(userId, ticket.holder);
  return ticket.holder;
}

function requireNotOnHold(ticket: ExistingTicket): void {
  if (ticket.hold !== null) throw TicketErrors.onHold();
}

function requireText(field: string, value: string | null | undefined): string {
  if (typeof value !== 'string' || value.trim() === '') throw TicketErrors.invalid(field, 'must be a non-empty string');
  return value;
}

/**
 * The instant a response/resolution clock has reached when a phase ends at `at`: on hold the
 * clock stopped when the hold began (hold pauses those clocks, not the claim clock).
 */
function clockInstant(ticket: ExistingTicket, at: string): string {
  return ticket.hold ? ticket.hold.startedAt : at;
}

/**
 * Whether a response/resolution clock that stands at `clock` has gone past `due`. Such a due
 * time is final: the phase is delayed from it on (KPIS.md), so resuming or reclassifying must
 * not move it, or the delay's dueAt and attribution would depend on whether the watchdog
 * recorded it before the move.
 */
function passed(due: string, clock: string): boolean {
  return ms(clock) > ms(due);
}

function delayed(phase: Phase, unitId: string, userId: string | null, dueAt: string, at: string): TicketDelayed {
  return { type: 'TicketDelayed', data: { phase, unitId, userId, dueAt }, occurredAt: at };
}

/** The claim delay of the open pool wait if it ends at `at` past its due time, unrecorded. */
function lateClaim(ticket: ExistingTicket, at: string): Draft {
  const wait = ticket.poolWait;
  if (!wait || wait.delayed || wait.claimDueAt === null || ms(at) <= ms(wait.claimDueAt)) return [];
  return [delayed('claim', wait.unitId, null, wait.claimDueAt, at)];
}

/** A response/resolution delay attributed to whoever held the ticket at the due time. */
function latePhase(ticket: ExistingTicket, phase: 'response' | 'resolution', at: string): Draft {
  const cycle = ticket.cycle;
  const dueAt = phase === 'response' ? cycle.responseDueAt : cycle.resolutionDueAt;
  const recorded = phase === 'response' ? cycle.responseDelayed : cycle.resolutionDelayed;
  if (dueAt === null || recorded || !passed(dueAt, clockInstant(ticket, at))) return [];
  const holder = custodyAt(cycle, dueAt);
  return [delayed(phase, holder.unitId, holder.userId, dueAt, at)];
}

function lateResponse(ticket: ExistingTicket, at: string): Draft {
  return ticket.cycle.respondedAt === null ? latePhase(ticket, 'response', at) : [];
}

function route(ticket: ExistingTicket, toUnitId: string, reason: string, userId: string | null, at: string, policy: SlaPolicy): Draft {
  requireOpen(ticket);
  requireNotOnHold(ticket);
  if (ticket.holder !== null) {
    if (!userId) throw TicketErrors.holderRequired(ticket.holder);
    if (userId !== ticket.holder) throw TicketErrors.notHolder(userId, ticket.holder);
  }
  if (toUnitId === ticket.unitId) throw TicketErrors.sameUnit(toUnitId);
  const targets = policy(policyKey(ticket));
  return [
    ...lateClaim(ticket, at),
    {
      type: 'TicketRouted',
      data: { fromUnitId: ticket.unitId, toUnitId, reason, userId: userId ?? null, claimDueAt: dueAfter(at, targets.claimSeconds) },
      occurredAt: at,
    },
  ];
}

function policyKey(ticket: ExistingTicket) {
  return { category: ticket.category, priority: ticket.priority, channel: ticket.channel, customerTier: ticket.customerTier };
}

function claim(ticket: ExistingTicket, command: ClaimTicket, at: string, policy: SlaPolicy): Draft {
  requireOpen(ticket);
  const { userId } = command.data;
  const assignedBy = command.data.assignedBy ?? null;
  requireText('userId', userId);
  if (ticket.holder === null) {
    return [...lateClaim(ticket, at), { type: 'TicketClaimed', data: { userId, unitId: ticket.unitId, assignedBy }, occurredAt: at }];
  }
  // Reassignment is a release then a claim; only a supervisor's assignment does both at once.
  if (assignedBy === null || ticket.holder === userId) throw TicketErrors.alreadyClaimed(ticket.holder);
  requireNotOnHold(ticket);
  const targets = policy(policyKey(ticket));
  return [
    {
      type: 'TicketReleased',
      data: { userId: ticket.holder, reason: `reassigned to ${userId} by ${assignedBy}`, claimDueAt: dueAfter(at, targets.claimSeconds) },
      occurredAt: at,
    },
    { type: 'TicketClaimed', data: { userId, unitId: ticket.unitId, assignedBy }, occurredAt: at },
  ];
}

function decideOrThrow(state: TicketState, command: TicketCommand, context: DecideContext): Draft {
  const at = context.at;
  const policy = context.policy ?? defaultPolicy;
  if (command.type === 'OpenTicket') {
    const d = command.data;
    if (state.exists) throw TicketErrors.alreadyExists(context.ticketId);
    const targets = policy({ category: d.category, priority: d.priority, channel: d.channel, customerTier: d.customerTier ?? null });
    const opened: TicketEvent = {
      type: 'TicketOpened',
      data: {
        ticketId: context.ticketId,
        channel: requireText('channel', d.channel),
        customer: requireText('customer', d.customer),
        customerTier: d.customerTier ?? null,
        category: requireText('category', d.category),
        priority: requireText('priority', d.priority),
        product: d.product ?? null,
        subject: requireText('subject', d.subject),
        unitId: requireText('unitId', d.unitId),
        calendarId: targets.calendarId,
        claimDueAt: dueAfter(at, targets.claimSeconds),
        responseDueAt: dueAfter(at, targets.responseSeconds),
        resolutionDueAt: dueAfter(at, targets.resolutionSeconds),
      },
      occurredAt: at,
    };
    if (!d.claimBy) return [opened];
    return [opened, { type: 'TicketClaimed', data: { userId: d.claimBy, unitId: d.unitId, assignedBy: null }, occurredAt: at }];
  }

  const ticket = requireExisting(state, context.ticketId);
  if (ms(at) < ms(ticket.lastOccurredAt)) throw TicketErrors.occurredBeforeLastEvent(at, ticket.lastOccurredAt);

  switch (command.type) {
    case 'RouteTicket':
      return route(
        ticket,
        requireText('toUnitId', command.data.toUnitId),
        requireText('reason', command.data.reason),
        command.data.userId ?? null,
        at,
        policy,
      );

    case 'ClaimTicket':
      return claim(ticket, command, at, policy);

    case 'ReleaseTicket': {
      const userId = requireHolder(ticket, command.data.userId);
      requireNotOnHold(ticket);
      const targets = policy(policyKey(ticket));
      return [
        {
          type: 'TicketReleased',
          data: { userId, reason: requireText('reason', command.data.reason), claimDueAt: dueAfter(at, targets.claimSeconds) },
          occurredAt: at,
        },
      ];
    }

    case 'RespondToTicket': {
      const userId = requireHolder(ticket, command.data.userId);
      requireNotOnHold(ticket);
      return [
        ...lateResponse(ticket, at),
        {
          type: 'TicketResponded',
          data: { userId, channel: command.data.channel ?? ticket.channel, solution: command.data.solution },
          occurredAt: at,
        },
      ];
    }

    case 'PutTicketOnHold': {
      const userId = requireHolder(ticket, command.data.userId);
      requireNotOnHold(ticket);
      return [{ type: 'TicketPutOnHold', data: { userId, reason: requireText('reason', command.data.reason) }, occurredAt: at }];
    }

    case 'ResumeTicket': {
      const userId = requireHolder(ticket, command.data.userId);
      if (ticket.hold === null) throw TicketErrors.notOnHold();
      const holdStartedAt = ticket.hold.startedAt;
      const pausedMs = ms(at) - ms(holdStartedAt);
      const cycle = ticket.cycle;
      const move = (due: string | null) => (due === null || passed(due, holdStartedAt) ? due : new Date(ms(due) + pausedMs).toISOString());
      return [
        {
          type: 'TicketResumed',
          data: {
            userId,
            responseDueAt: cycle.respondedAt === null ? move(cycle.responseDueAt) : cycle.responseDueAt,
            resolutionDueAt: move(cycle.resolutionDueAt),
          },
          occurredAt: at,
        },
      ];
    }

    case 'ReclassifyTicket': {
      requireOpen(ticket);
      const category = command.data.category ?? ticket.category;
      const priority = command.data.priority ?? ticket.priority;
      if (category === ticket.category && priority === ticket.priority) throw TicketErrors.nothingToReclassify();
      const targets = policy({ category, priority, channel: ticket.channel, customerTier: ticket.customerTier });
      const cycle = ticket.cycle;
      const clock = clockInstant(ticket, at);
      const recompute = (due: string | null, seconds: number | null) =>
        due !== null && passed(due, clock) ? due : dueAfter(cycle.startedAt, seconds, cycle.pausedMs);
      return [
        {
          type: 'TicketReclassified',
          data: {
            userId: command.data.userId ?? null,
            category: requireText('category', category),
            priority: requireText('priority', priority),
            responseDueAt: cycle.respondedAt === null ? recompute(cycle.responseDueAt, targets.responseSeconds) : cycle.responseDueAt,
            resolutionDueAt: recompute(cycle.resolutionDueAt, targets.resolutionSeconds),
          },
          occurredAt: at,
        },
      ];
    }

    case 'EscalateTicket': {
      requireOpen(ticket);
      const level = command.data.level ?? ticket.escalationLevel + 1;
      if (!Number.isInteger(level) || level < 1) throw TicketErrors.invalid('level', 'must be an integer of at least 1');
      if (level <= ticket.escalationLevel) throw TicketErrors.escalationLevelNotHigher(level, ticket.escalationLevel);
      const reason = requireText('reason', command.data.reason);
      const by = command.data.userId ?? 'system';
      const escalated: TicketEvent = { type: 'TicketEscalated', data: { level, reason, by }, occurredAt: at };
      if (!command.data.toUnitId) return [escalated];
      return [escalated, ...route(ticket, command.data.toUnitId, `escalated: ${reason}`, ticket.holder, at, policy)];
    }

    case 'CloseTicket': {
      requireOpen(ticket);
      const userId = command.data.userId ?? null;
      if (ticket.holder !== null) {
        if (userId === null) throw TicketErrors.holderRequired(ticket.holder);
        requireHolder(ticket, userId);
      }
      return [
        ...lateClaim(ticket, at),
        ...lateResponse(ticket, at),
        ...latePhase(ticket, 'resolution', at),
        {
          type: 'TicketClosed',
          data: { userId, unitId: ticket.unitId, resolution: command.data.resolution, requestMet: command.data.requestMet },
          occurredAt: at,
        },
      ];
    }

    case 'ReopenTicket': {
      if (ticket.status !== 'closed') throw TicketErrors.notClosed();
      const targets = policy(policyKey(ticket));
      return [
        {
          type: 'TicketReopened',
          data: {
            userId: command.data.userId ?? null,
            reason: requireText('reason', command.data.reason),
            unitId: ticket.unitId,
            claimDueAt: dueAfter(at, targets.claimSeconds),
            responseDueAt: dueAfter(at, targets.responseSeconds),
            resolutionDueAt: dueAfter(at, targets.resolutionSeconds),
          },
          occurredAt: at,
        },
      ];
    }

    case 'SurveyTicket': {
      const d = command.data;
      if (ticket.lastClose === null) throw TicketErrors.neverClosed();
      if (ticket.lastClose.surveyed) throw TicketErrors.alreadySurveyed();
      if (!Number.isInteger(d.score) || d.score < 1 || d.score > 5) throw TicketErrors.invalid('score', 'must be an integer from 1 to 5');
      return [
        {
          type: 'TicketSurveyed',
          data: {
            score: d.score,
            resolved: d.resolved ?? null,
            resolvedOnFirstContact: d.resolvedOnFirstContact ?? null,
            channel: requireText('channel', d.channel),
            comment: d.comment ?? null,
          },
          occurredAt: at,
        },
      ];
    }

    case 'MarkTicketDelayed':
      return markDelayed(ticket, command.data.phase, at);

    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The watchdog's view: the open instance of `phase` is past due now and not yet recorded. */
function markDelayed(ticket: ExistingTicket, phase: Phase, at: string): Draft {
  requireOpen(ticket);
  switch (phase) {
    case 'claim': {
      const wait = ticket.poolWait;
      if (wait?.delayed) throw TicketErrors.alreadyDelayed(phase);
      const events = lateClaim(ticket, at);
      if (events.length === 0) throw TicketErrors.notDue(phase);
      return events;
    }
    case 'response':
    case 'resolution': {
      if (phase === 'response' && ticket.cycle.respondedAt !== null) throw TicketErrors.notDue(phase);
      if (phase === 'response' ? ticket.cycle.responseDelayed : ticket.cycle.resolutionDelayed) throw TicketErrors.alreadyDelayed(phase);
      const events = latePhase(ticket, phase, at);
      if (events.length === 0) throw TicketErrors.notDue(phase);
      return events;
    }
    default: {
      const unknownPhase: never = phase;
      throw new Error(`unknown phase ${String(unknownPhase)}`);
    }
  }
}

export function decide(state: TicketState, command: TicketCommand, context: DecideContext): TicketEvent[] | DomainError {
  try {
    return decideOrThrow(state, command, context);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}
