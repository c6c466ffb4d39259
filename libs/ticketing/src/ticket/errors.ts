/**
 * Domain errors: a stable `code` for machines and a sentence for people. `kind` says how the
 * HTTP edge maps it (one place, apps/api): not_found → 404, forbidden → 403, conflict → 409,
 * rule → 422, unavailable → 503 (try again later: `details.retryAfterSeconds`).
 */
export type DomainErrorKind = 'not_found' | 'forbidden' | 'conflict' | 'rule' | 'unavailable';

/** Every code a domain rule answers with: a spec's expected code is checked by the compiler. */
export type DomainErrorCode =
  | 'TICKET_NOT_FOUND'
  | 'TICKET_ALREADY_EXISTS'
  | 'TICKET_ALREADY_CLAIMED'
  | 'TICKET_CLOSED'
  | 'TICKET_NOT_CLOSED'
  | 'TICKET_NOT_CLAIMED'
  | 'NOT_THE_HOLDER'
  | 'USER_REQUIRED'
  | 'TICKET_ON_HOLD'
  | 'TICKET_NOT_ON_HOLD'
  | 'ROUTE_TO_SAME_UNIT'
  | 'ESCALATION_LEVEL_NOT_HIGHER'
  | 'NOTHING_TO_RECLASSIFY'
  | 'TICKET_NEVER_CLOSED'
  | 'CLOSE_ALREADY_SURVEYED'
  | 'PHASE_NOT_DUE'
  | 'PHASE_ALREADY_DELAYED'
  | 'PHASE_NOT_OPEN'
  | 'BREACH_ALREADY_WARNED'
  | 'BREACH_WARNING_NOT_DUE'
  | 'ESCALATION_NOT_DUE'
  | 'OCCURRED_AT_BEFORE_LAST_EVENT'
  | 'INVALID_COMMAND'
  // time (occurred-at.ts)
  | 'INVALID_OCCURRED_AT'
  | 'OCCURRED_AT_IN_FUTURE'
  | 'OCCURRED_AT_TOO_EARLY'
  | 'BACKDATING_NOT_ALLOWED'
  | 'TICKET_AHEAD_OF_CLOCK'
  // business calendars (business-time/errors.ts)
  | 'CALENDAR_INVALID_SHAPE'
  | 'CALENDAR_INVALID_ZONE'
  | 'CALENDAR_INVALID_WEEKDAY'
  | 'CALENDAR_INVALID_DATE'
  | 'CALENDAR_INVALID_TIME'
  | 'CALENDAR_INVALID_INTERVAL'
  | 'CALENDAR_OVERLAPPING_INTERVALS'
  | 'CALENDAR_NO_WORKING_TIME'
  | 'BUSINESS_TIME_INVALID_INSTANT'
  | 'BUSINESS_TIME_INVALID_SECONDS'
  // SLA and reference data in ticket commands (sla/, ticket/reference-rules.ts)
  | 'CALENDAR_UNKNOWN'
  | 'REFERENCE_UNKNOWN'
  | 'USER_NOT_IN_UNIT'
  | 'USER_NOT_SUPERVISOR'
  // reference data (reference/errors.ts)
  | 'REFERENCE_INVALID'
  | 'REFERENCE_INVALID_ID'
  | 'REFERENCE_RESERVED_ID'
  | 'REFERENCE_UNKNOWN_LINK'
  | 'REFERENCE_CYCLE'
  | 'REFERENCE_ORDER_TAKEN'
  | 'REFERENCE_EFFECTIVE_FROM_BACKWARDS'
  | 'REFERENCE_NOT_FOUND'
  | 'REFERENCE_IN_USE'
  | 'REFERENCE_NOT_RETIRABLE';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly kind: DomainErrorKind = 'rule',
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const TicketErrors = {
  notFound: (ticketId: string) => new DomainError('TICKET_NOT_FOUND', `Ticket ${ticketId} does not exist.`, 'not_found', { ticketId }),
  alreadyExists: (ticketId: string) =>
    new DomainError('TICKET_ALREADY_EXISTS', `Ticket ${ticketId} already exists; open it with another id.`, 'conflict', { ticketId }),
  alreadyClaimed: (holder: string) =>
    new DomainError('TICKET_ALREADY_CLAIMED', `The ticket is already claimed by ${holder}.`, 'conflict', { holder }),
  closed: () => new DomainError('TICKET_CLOSED', 'The ticket is closed; reopen it first.'),
  notClosed: () => new DomainError('TICKET_NOT_CLOSED', 'Only a closed ticket can be reopened.'),
  notHeld: () => new DomainError('TICKET_NOT_CLAIMED', 'Nobody holds the ticket; claim it first.'),
  notHolder: (userId: string, holder: string) =>
    new DomainError('NOT_THE_HOLDER', `Only the holder (${holder}) may do this; ${userId} does not hold the ticket.`, 'rule', {
      userId,
      holder,
    }),
  holderRequired: (holder: string) =>
    new DomainError('USER_REQUIRED', `The ticket is held by ${holder}: name the holder as userId.`, 'rule', { holder }),
  onHold: () => new DomainError('TICKET_ON_HOLD', 'The ticket is on hold; resume it first.'),
  notOnHold: () => new DomainError('TICKET_NOT_ON_HOLD', 'The ticket is not on hold.'),
  sameUnit: (unitId: string) => new DomainError('ROUTE_TO_SAME_UNIT', `The ticket is already with unit ${unitId}.`, 'rule', { unitId }),
  escalationLevelNotHigher: (level: number, current: number) =>
    new DomainError('ESCALATION_LEVEL_NOT_HIGHER', `Escalation level ${level} is not above the current level ${current}.`, 'rule', {
      level,
      current,
    }),
  nothingToReclassify: () => new DomainError('NOTHING_TO_RECLASSIFY', 'The category and priority are already these.'),
  neverClosed: () => new DomainError('TICKET_NEVER_CLOSED', 'A survey rates a close; this ticket has not been closed.'),
  alreadySurveyed: () =>
    new DomainError('CLOSE_ALREADY_SURVEYED', 'The most recent close has already been surveyed (one survey per close).'),
  notDue: (phase: string) => new DomainError('PHASE_NOT_DUE', `The ${phase} phase is not past its due time.`, 'rule', { phase }),
  alreadyDelayed: (phase: string) =>
    new DomainError('PHASE_ALREADY_DELAYED', `The ${phase} phase's delay is already recorded.`, 'rule', { phase }),
  phaseNotOpen: (phase: string) =>
    new DomainError('PHASE_NOT_OPEN', `The ${phase} phase has no open instance with a due time that can still be warned of.`, 'rule', {
      phase,
    }),
  alreadyWarned: (phase: string, threshold: number) =>
    new DomainError('BREACH_ALREADY_WARNED', `The ${phase} phase was already warned of at ${threshold}% of its target.`, 'rule', {
      phase,
      threshold,
    }),
  warningNotDue: (phase: string, threshold: number, warnAt: string) =>
    new DomainError('BREACH_WARNING_NOT_DUE', `The ${phase} phase reaches ${threshold}% of its target only at ${warnAt}.`, 'rule', {
      phase,
      threshold,
      warnAt,
    }),
  escalationNotDue: (phase: string, level: number, at: string) =>
    new DomainError('ESCALATION_NOT_DUE', `Level ${level} of the ${phase} phase's escalation is due only at ${at}.`, 'rule', {
      phase,
      level,
      at,
    }),
  occurredBeforeLastEvent: (at: string, last: string) =>
    new DomainError(
      'OCCURRED_AT_BEFORE_LAST_EVENT',
      `occurredAt ${at} is before the ticket's last event (${last}); a ticket's time never goes backwards.`,
      'rule',
      {
        occurredAt: at,
        lastOccurredAt: last,
      },
    ),
  invalid: (field: string, message: string) => new DomainError('INVALID_COMMAND', `${field}: ${message}`, 'rule', { field }),
} as const;
