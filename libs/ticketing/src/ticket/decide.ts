import type { ClaimTicket, TicketCommand, WarnOfBreach } from './commands.js';
import { DomainError, TicketErrors } from './errors.js';
import type { EscalationSchedule, Phase, TicketBreachWarned, TicketDelayed, TicketEvent } from './events.js';
import { ReferenceRules, type ReferenceContext } from './reference-rules.js';
import { custodyAt, fold, type ExistingTicket, type TicketState } from './state.js';
import { addBusinessMs, businessMsBetween } from '../business-time/business-time.js';
import { ALWAYS_OPEN, type BusinessCalendar } from '../business-time/calendar.js';
import { EMPTY_CATALOGUE } from '../reference/catalogue.js';
import { dueOf, slaCatalogueOf } from '../sla/policy.js';
import type { ClockTerms, SlaCatalogue, SlaKey } from '../sla/terms.js';
import { pendingWarnings, warnablePhase, warnAtOf } from '../sla/warnings.js';

/**
 * `decide(state, command, context)`: the events a command produces, or the rule it breaks.
 * Pure: time, reference data and SLA terms come in through the context. Due times are
 * computed when a clock starts, in its calendar (KPIS.md "Business time"), and recorded with the
 * clock's terms in the event that starts it.
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
  /** the reference data in force and the mode; absent = open mode, no policies (the built-in default) */
  reference?: ReferenceContext;
  /** SLA lookups; by default those of `reference`'s catalogue */
  sla?: SlaCatalogue;
}

/** What a command's helpers share: the instant, the SLA lookups and the reference checks. */
interface Decision {
  at: string;
  sla: SlaCatalogue;
  rules: ReferenceRules;
}

const DEFAULT_SLA = slaCatalogueOf(EMPTY_CATALOGUE);

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
  return { type: 'TicketDelayed', data: { phase, unitId, userId, dueAt, escalation: null }, occurredAt: at };
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

function calendarOf(sla: SlaCatalogue, clock: ClockTerms | null): BusinessCalendar {
  return clock === null ? ALWAYS_OPEN : sla.calendar(clock.calendarId);
}

/** The key policies match on, with the unit whose calendar applies by default. */
function slaKey(ticket: ExistingTicket, unitId = ticket.unitId): SlaKey {
  return { category: ticket.category, priority: ticket.priority, channel: ticket.channel, customerTier: ticket.customerTier, unitId };
}

/** A new pool wait's claim clock and due, under the terms in force now. */
function claimClockAt(ticket: ExistingTicket, unitId: string, d: Decision): { claimClock: ClockTerms | null; claimDueAt: string | null } {
  const { claimClock } = d.sla.termsAt(slaKey(ticket, unitId), d.at);
  return { claimClock, claimDueAt: dueOf(d.sla, claimClock, d.at) };
}

function route(ticket: ExistingTicket, toUnitId: string, reason: string, userId: string | null, d: Decision): Draft {
  const at = d.at;
  requireOpen(ticket);
  requireNotOnHold(ticket);
  if (ticket.holder !== null) {
    if (!userId) throw TicketErrors.holderRequired(ticket.holder);
    if (userId !== ticket.holder) throw TicketErrors.notHolder(userId, ticket.holder);
  }
  if (toUnitId === ticket.unitId) throw TicketErrors.sameUnit(toUnitId);
  d.rules.known('toUnitId', 'unit', toUnitId);
  return [
    ...lateClaim(ticket, at),
    {
      type: 'TicketRouted',
      data: { fromUnitId: ticket.unitId, toUnitId, reason, userId: userId ?? null, ...claimClockAt(ticket, toUnitId, d) },
      occurredAt: at,
    },
  ];
}

function claim(ticket: ExistingTicket, command: ClaimTicket, d: Decision): Draft {
  const at = d.at;
  requireOpen(ticket);
  const { userId } = command.data;
  const assignedBy = command.data.assignedBy ?? null;
  requireText('userId', userId);
  d.rules.member('userId', userId, ticket.unitId);
  if (assignedBy !== null) d.rules.supervisor('assignedBy', assignedBy, ticket.unitId);
  if (ticket.holder === null) {
    return [...lateClaim(ticket, at), { type: 'TicketClaimed', data: { userId, unitId: ticket.unitId, assignedBy }, occurredAt: at }];
  }
  // Reassignment is a release then a claim; only a supervisor's assignment does both at once.
  if (assignedBy === null || ticket.holder === userId) throw TicketErrors.alreadyClaimed(ticket.holder);
  requireNotOnHold(ticket);
  return [
    {
      type: 'TicketReleased',
      data: { userId: ticket.holder, reason: `reassigned to ${userId} by ${assignedBy}`, ...claimClockAt(ticket, ticket.unitId, d) },
      occurredAt: at,
    },
    { type: 'TicketClaimed', data: { userId, unitId: ticket.unitId, assignedBy }, occurredAt: at },
  ];
}

function decideOrThrow(state: TicketState, command: TicketCommand, context: DecideContext): Draft {
  const at = context.at;
  const sla = context.sla ?? (context.reference ? slaCatalogueOf(context.reference.catalogue) : DEFAULT_SLA);
  const rules = new ReferenceRules(context.reference);
  const decision: Decision = { at, sla, rules };
  if (command.type === 'OpenTicket') {
    const d = command.data;
    if (state.exists) throw TicketErrors.alreadyExists(context.ticketId);
    rules.known('unitId', 'unit', d.unitId);
    rules.known('category', 'category', d.category);
    rules.known('priority', 'priority', d.priority);
    rules.known('channel', 'channel', d.channel);
    rules.known('customerTier', 'customerTier', d.customerTier);
    if (d.claimBy) rules.member('claimBy', d.claimBy, d.unitId);
    const terms = sla.termsAt(
      { category: d.category, priority: d.priority, channel: d.channel, customerTier: d.customerTier ?? null, unitId: d.unitId },
      at,
    );
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
        ...terms,
        claimDueAt: dueOf(sla, terms.claimClock, at),
        responseDueAt: dueOf(sla, terms.responseClock, at),
        resolutionDueAt: dueOf(sla, terms.resolutionClock, at),
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
        decision,
      );

    case 'ClaimTicket':
      return claim(ticket, command, decision);

    case 'ReleaseTicket': {
      const userId = requireHolder(ticket, command.data.userId);
      requireNotOnHold(ticket);
      return [
        {
          type: 'TicketReleased',
          data: { userId, reason: requireText('reason', command.data.reason), ...claimClockAt(ticket, ticket.unitId, decision) },
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
      const cycle = ticket.cycle;
      // The clock kept r = B(hold, due) when the hold began; it runs again from now: add(now, r).
      const move = (due: string | null, clock: ClockTerms | null) => {
        if (due === null || passed(due, holdStartedAt)) return due;
        const calendar = calendarOf(sla, clock);
        const remaining = businessMsBetween(calendar, ms(holdStartedAt), ms(due));
        return new Date(addBusinessMs(calendar, ms(at), remaining)).toISOString();
      };
      return [
        {
          type: 'TicketResumed',
          data: {
            userId,
            responseDueAt: cycle.respondedAt === null ? move(cycle.responseDueAt, cycle.responseClock) : cycle.responseDueAt,
            resolutionDueAt: move(cycle.resolutionDueAt, cycle.resolutionClock),
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
      rules.known('category', 'category', command.data.category);
      rules.known('priority', 'priority', command.data.priority);
      rules.known('userId', 'user', command.data.userId);
      const terms = sla.termsAt({ ...slaKey(ticket), category, priority }, at);
      const cycle = ticket.cycle;
      const clock = clockInstant(ticket, at);
      // A phase already past due keeps its due and clock; any other is recomputed under the new terms.
      const recompute = (due: string | null, old: ClockTerms | null, next: ClockTerms | null) =>
        due !== null && passed(due, clock) ? { due, clock: old } : { due: replayCycleClock(sla, ticket, next), clock: next };
      const response =
        cycle.respondedAt === null
          ? recompute(cycle.responseDueAt, cycle.responseClock, terms.responseClock)
          : { due: cycle.responseDueAt, clock: cycle.responseClock };
      const resolution = recompute(cycle.resolutionDueAt, cycle.resolutionClock, terms.resolutionClock);
      return [
        {
          type: 'TicketReclassified',
          data: {
            userId: command.data.userId ?? null,
            category: requireText('category', category),
            priority: requireText('priority', priority),
            policyId: terms.policyId,
            responseClock: response.clock,
            resolutionClock: resolution.clock,
            responseDueAt: response.due,
            resolutionDueAt: resolution.due,
          },
          occurredAt: at,
        },
      ];
    }

    case 'EscalateTicket': {
      requireOpen(ticket);
      if (command.data.phase) {
        if (command.data.userId || command.data.level || command.data.toUnitId) {
          throw TicketErrors.invalid('phase', 'a rule escalation takes its level and target from the rule: name no user, level or unit');
        }
        return escalateByRule(ticket, command.data.phase, requireText('reason', command.data.reason), decision);
      }
      const level = command.data.level ?? ticket.escalationLevel + 1;
      if (!Number.isInteger(level) || level < 1) throw TicketErrors.invalid('level', 'must be an integer of at least 1');
      if (level <= ticket.escalationLevel) throw TicketErrors.escalationLevelNotHigher(level, ticket.escalationLevel);
      const reason = requireText('reason', command.data.reason);
      rules.known('userId', 'user', command.data.userId);
      const by = command.data.userId ?? 'system';
      const escalated: TicketEvent = {
        type: 'TicketEscalated',
        data: { level, reason, by, ruleId: null, phase: null, toUnitId: command.data.toUnitId ?? null, toUserId: null, nextLevelAt: null },
        occurredAt: at,
      };
      if (!command.data.toUnitId) return [escalated];
      return [escalated, ...route(ticket, command.data.toUnitId, `escalated: ${reason}`, ticket.holder, decision)];
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
      rules.known('userId', 'user', command.data.userId);
      const terms = sla.termsAt(slaKey(ticket), at);
      return [
        {
          type: 'TicketReopened',
          data: {
            userId: command.data.userId ?? null,
            reason: requireText('reason', command.data.reason),
            unitId: ticket.unitId,
            policyId: terms.policyId,
            claimClock: terms.claimClock,
            responseClock: terms.responseClock,
            resolutionClock: terms.resolutionClock,
            claimDueAt: dueOf(sla, terms.claimClock, at),
            responseDueAt: dueOf(sla, terms.responseClock, at),
            resolutionDueAt: dueOf(sla, terms.resolutionClock, at),
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
      rules.known('channel', 'channel', d.channel);
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
      return withEscalation(ticket, markDelayed(ticket, command.data.phase, at), decision);

    case 'WarnOfBreach':
      return warnOfBreach(ticket, command, decision);

    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * A cycle clock's due had `clock` applied since the cycle started, replaying the cycle's finished
 * holds (KPIS.md "reclassification"): each hold that began at or before the due moves it to
 * add(resume, B(hold, due)); once a hold begins after the due, the phase was late and the due stays.
 * An open hold is left to the resume, like any paused clock.
 */
function replayCycleClock(sla: SlaCatalogue, ticket: ExistingTicket, clock: ClockTerms | null): string | null {
  if (clock === null) return null;
  const calendar = calendarOf(sla, clock);
  let due = ms(dueOf(sla, clock, ticket.cycle.startedAt) ?? ticket.cycle.startedAt);
  for (const hold of ticket.cycle.holds) {
    if (due < ms(hold.from)) break;
    due = addBusinessMs(calendar, ms(hold.to), businessMsBetween(calendar, ms(hold.from), due));
  }
  return new Date(due).toISOString();
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

/** The open instance's escalation schedule of a phase: claim while its pool wait lasts, response until answered. */
function scheduleOf(ticket: ExistingTicket, phase: Phase): EscalationSchedule | null {
  switch (phase) {
    case 'claim':
      return ticket.poolWait?.escalation ?? null;
    case 'response':
      return ticket.cycle.respondedAt === null ? ticket.cycle.responseEscalation : null;
    case 'resolution':
      return ticket.cycle.resolutionEscalation;
    default: {
      const unknownPhase: never = phase;
      throw new Error(`unknown phase ${String(unknownPhase)}`);
    }
  }
}

/**
 * The watchdog's delay of a phase still open: the escalation rule in force at the due (matched like
 * a policy) gives the schedule, recorded in the TicketDelayed, and its first level if already due
 * (afterSeconds 0) is written in the same append. A command completing a phase late does not come
 * here: the phase is over, nothing to escalate.
 */
function withEscalation(ticket: ExistingTicket, delays: Draft, d: Decision): Draft {
  const delay = delays[0];
  if (delay === undefined || delay.type !== 'TicketDelayed') return delays;
  const rule = d.sla.escalationRuleAt?.(slaKey(ticket), delay.data.phase, delay.data.dueAt);
  if (rule === undefined) return delays;
  const due = ms(delay.data.dueAt);
  const schedule: EscalationSchedule = {
    ruleId: rule.ruleId,
    levels: rule.levels.map((level) => ({ level: level.level, at: new Date(due + level.afterSeconds * 1000).toISOString() })),
  };
  const recorded: TicketDelayed = { ...delay, data: { ...delay.data, escalation: schedule } };
  const after = fold([recorded], ticket);
  if (!after.exists) return [recorded];
  const next = schedule.levels.find((level) => level.level > ticket.escalationLevel);
  if (next === undefined || ms(next.at) > ms(d.at)) return [recorded];
  return [recorded, ...escalateByRule(after, delay.data.phase, `${delay.data.phase} late since ${delay.data.dueAt}`, d)];
}

/**
 * The next level of a late phase's schedule: a level not above the ticket's escalation level (a
 * supervisor escalated by hand meanwhile) is skipped, its later levels still apply. The target is the
 * level's unit or the supervisors of a unit (null: the holding unit); `route` moves the ticket there
 * too, unless it is there already or on hold (a route needs the clock running).
 */
function escalateByRule(ticket: ExistingTicket, phase: Phase, reason: string, d: Decision): Draft {
  const schedule = scheduleOf(ticket, phase);
  if (schedule === null) throw TicketErrors.phaseNotOpen(phase);
  const next = schedule.levels.find((level) => level.level > ticket.escalationLevel);
  if (next === undefined)
    throw TicketErrors.escalationLevelNotHigher(schedule.levels[schedule.levels.length - 1]?.level ?? 0, ticket.escalationLevel);
  if (ms(next.at) > ms(d.at)) throw TicketErrors.escalationNotDue(phase, next.level, next.at);
  const rule = d.sla.escalationRule?.(schedule.ruleId);
  const level = rule?.levels.find((candidate) => candidate.level === next.level);
  // Rule versions are never removed (a retirement is a version): a recorded id that does not resolve is a broken catalogue.
  if (level === undefined) throw new Error(`escalation rule ${schedule.ruleId} has no level ${next.level}`);
  const toUnitId = 'unit' in level.to ? level.to.unit : (level.to.supervisorOf ?? ticket.unitId);
  const escalated: TicketEvent = {
    type: 'TicketEscalated',
    data: {
      level: next.level,
      reason,
      by: 'system',
      ruleId: schedule.ruleId,
      phase,
      toUnitId,
      toUserId: d.sla.supervisorOf?.(toUnitId) ?? null,
      nextLevelAt: schedule.levels.find((later) => later.level > next.level)?.at ?? null,
    },
    occurredAt: d.at,
  };
  if (!level.route || toUnitId === ticket.unitId || ticket.hold !== null) return [escalated];
  const after = fold([escalated], ticket);
  if (!after.exists) return [escalated];
  return [escalated, ...route(after, toUnitId, `escalated: ${reason}`, ticket.holder, d)];
}

/**
 * The watchdog's breach warning: every threshold up to `threshold` not yet warned for the open
 * instance of the phase whose instant has come, in order (after downtime, 75% and 90% both).
 */
function warnOfBreach(ticket: ExistingTicket, command: WarnOfBreach, d: Decision): Draft {
  const { phase, threshold } = command.data;
  requireOpen(ticket);
  if (phase !== 'claim') requireNotOnHold(ticket);
  const open = warnablePhase(ticket, phase);
  if (open === undefined) throw TicketErrors.phaseNotOpen(phase);
  const thresholds = open.clock.warnings ?? [];
  if (!thresholds.includes(threshold)) {
    throw TicketErrors.invalid('threshold', `must be one of the clock's warnings (${thresholds.join(', ') || 'none'})`);
  }
  if (open.warned.includes(threshold)) throw TicketErrors.alreadyWarned(phase, threshold);
  const warnAt = warnAtOf(calendarOf(d.sla, open.clock), open.clock, open.dueAt, threshold);
  if (ms(warnAt) > ms(d.at)) throw TicketErrors.warningNotDue(phase, threshold, warnAt);
  return pendingWarnings(open, (id) => d.sla.calendar(id))
    .filter((warning) => warning.threshold <= threshold)
    .map((warning): TicketBreachWarned => {
      const holder =
        phase === 'claim' ? { unitId: ticket.poolWait?.unitId ?? ticket.unitId, userId: null } : custodyAt(ticket.cycle, warning.warnAt);
      return {
        type: 'TicketBreachWarned',
        data: {
          phase,
          threshold: warning.threshold,
          dueAt: warning.dueAt,
          warnAt: warning.warnAt,
          unitId: holder.unitId,
          userId: holder.userId,
        },
        occurredAt: d.at,
      };
    });
}

export function decide(state: TicketState, command: TicketCommand, context: DecideContext): TicketEvent[] | DomainError {
  try {
    return decideOrThrow(state, command, context);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}
