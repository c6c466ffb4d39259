/**
 * The tables of the `tickets` projection: a ticket's history as rows with instants, so that
 * every KPI is computed at query time as of any `asOf`. Physical names are given by the
 * projection runner (`projections.<table>_v<version>`); analysts use the stable views
 * `analytics.<table>`. Durations are calendar seconds; each `*_business_s` beside one is the same
 * span in business seconds (KPIS.md "Business time": the working time of its clock's calendar,
 * outside holds; null when that clock has no calendar — no target or no policy).
 */
import { defineTable, type RowOf } from '#read-model/projections/table-definition.js';

export { createTableSql, type TableDefinition } from '#read-model/projections/table-definition.js';

const ticket = ['ticket_id', 'uuid NOT NULL', 'The ticket (its stream is ticket-<ticket_id>).'] as const;

/*
 * Settled columns (projections/tickets/settled.ts): a report whose asOf is at or after a
 * ticket's last event reads the ticket from these instead of reconstructing it as of asOf.
 * They repeat the ticket's state on its stint and assignment rows so such a report scans one
 * table; every row of a ticket is rewritten with each of its events anyway.
 */
const ticketLastEventAt = [
  'ticket_last_event_at',
  'timestamptz NOT NULL',
  'The ticket’s last event (tickets.last_event_at): the columns marked "settled" hold for any asOf at or after it.',
] as const;
const ticketState = [
  ticketLastEventAt,
  ['ticket_custody_state', 'text NOT NULL', 'Settled: where the ticket is after its last event (custody state: in_pool, held, closed).'],
  ['ticket_unit_id', 'text NOT NULL', 'Settled: the unit the ticket is with after its last event (pool, holder’s or closing unit).'],
  ['category', 'text NOT NULL', 'Settled: the ticket’s current category.'],
  [
    'ticket_user_id',
    'text',
    'Settled: the ticket’s user after its last event: the holder, or for a closed ticket the user of its latest close (KPI grouping).',
  ],
  ['ticket_channel', 'text NOT NULL', 'Settled: the ticket’s channel (tickets.channel).'],
  ['ticket_priority', 'text NOT NULL', 'Settled: the ticket’s current priority.'],
  ['ticket_status', 'text NOT NULL', 'Settled: the ticket’s status after its last event (in_pool, in_progress, on_hold, closed).'],
  ['ticket_closed_at', 'timestamptz', 'Settled: the close of the ticket’s latest cycle (tickets.last_closed_at); null while it is open.'],
] as const;

/** The settled ticket columns a KPI summary groups by, covered by the indexes on ticket_opened_at. */
const KPI_GROUP_COLUMNS = [
  'ticket_last_event_at',
  'ticket_unit_id',
  'ticket_user_id',
  'category',
  'ticket_channel',
  'ticket_priority',
] as const;
/** The business columns' shared wording, completed by the clock each is measured in. */
const BUSINESS = 'business seconds (working time of the calendar of';

const ticketOpenedAt = [
  'ticket_opened_at',
  'timestamptz NOT NULL',
  'The ticket’s opening (tickets.opened_at), to select the rows of tickets opened in a period without a join.',
] as const;

export const TICKETS = defineTable({
  name: 'tickets',
  comment:
    'Ticket facts: one row per ticket, as after its last event. Instants let reports compute any figure as of an earlier asOf; ' +
    'the *_s measures are the final values.',
  primaryKey: ['ticket_id'],
  indexes: [
    // The KPI summary's settled tickets come from this index alone (kpi-summary.sql.ts); it also serves every other
    // report selecting tickets by their opening.
    {
      columns: ['opened_at'],
      include: [
        'last_event_at',
        'unit_id',
        'custody_state',
        'holder',
        'last_closed_by',
        'category',
        'channel',
        'priority',
        'first_response_at',
        'first_solution_at',
        'last_closed_at',
        'handled_s',
        'open_claimed_at',
        'handled_business_s',
        'frt_business_s',
        'tfs_business_s',
        'trt_business_s',
        'response_late',
        'response_late_due_at',
        'response_completed_at',
        'first_escalated_at',
        'first_reopened_at',
        'first_closed_at',
        'response_count',
        'routed_after_claim_at',
        'last_resolution',
        'request_met',
        'sla_breached',
        'sla_breached_due_at',
        'response_targeted',
        'sla_targeted',
      ],
    },
    ['unit_id'],
    ['category'],
    ['status'],
    ['last_event_at'],
  ],
  columns: [
    ticket,
    ['revision', 'integer NOT NULL', 'Revision of the last event projected.'],
    ['opened_at', 'timestamptz NOT NULL', 'TicketOpened occurredAt: the start of age, FRT, TFS, TRT.'],
    ['channel', 'text NOT NULL', 'Where the ticket came from (phone, email, web, store…).'],
    ['customer', 'text NOT NULL', 'The customer.'],
    ['customer_tier', 'text', 'The customer tier, if given.'],
    ['product', 'text', 'The product, if given.'],
    ['subject', 'text NOT NULL', 'The subject.'],
    ['category', 'text NOT NULL', 'Current category (history in classifications).'],
    ['priority', 'text NOT NULL', 'Current priority (history in classifications).'],
    [
      'unit_id',
      'text NOT NULL',
      'Current unit: the pool it sits in, the holder’s unit, or the closing unit (custody after the last event).',
    ],
    ['holder', 'text', 'The user holding it now, if any.'],
    ['custody_state', 'text NOT NULL', 'Custody state after the last event: in_pool, held (in progress or on hold) or closed.'],
    ['status', 'text NOT NULL', 'in_pool, in_progress, on_hold or closed.'],
    ['last_event_at', 'timestamptz NOT NULL', 'occurredAt of the last event.'],
    ['first_response_at', 'timestamptz', 'The first cycle’s first TicketResponded.'],
    ['first_response_due_at', 'timestamptz', 'The first cycle’s response due time (as last moved by hold/reclassify).'],
    [
      'response_completed_at',
      'timestamptz',
      'When the first cycle’s response phase completed: its first response, or its close if unanswered.',
    ],
    ['first_solution_at', 'timestamptz', 'First TicketResponded with solution, or the first close if earlier.'],
    ['first_closed_at', 'timestamptz', 'First TicketClosed.'],
    ['last_closed_at', 'timestamptz', 'The close of the latest cycle, null while the latest cycle is open.'],
    ['closed', 'boolean NOT NULL', 'Closed after its last event.'],
    ['last_closed_by', 'text', 'User of the latest close, if closed (null: closed from a pool by a service).'],
    ['last_resolution', 'text', 'Resolution of the latest close (resolved, not_resolved, duplicate, cancelled).'],
    ['request_met', 'boolean', 'requestMet of the latest close, if closed.'],
    ['escalation_level', 'integer NOT NULL', 'Highest escalation level (0: never escalated).'],
    ['first_escalated_at', 'timestamptz', 'First TicketEscalated.'],
    ['first_reopened_at', 'timestamptz', 'First TicketReopened.'],
    ['routed_after_claim_at', 'timestamptz', 'First route after the first claim (breaks FCR).'],
    ['reopen_count', 'integer NOT NULL', 'TicketReopened events.'],
    ['response_count', 'integer NOT NULL', 'TicketResponded events over the whole life.'],
    ['route_count', 'integer NOT NULL', 'TicketRouted events.'],
    ['pool_wait_count', 'integer NOT NULL', 'Pool waits (rows in pool_waits).'],
    ['assignment_count', 'integer NOT NULL', 'Assignments (rows in assignments).'],
    ['cycle_count', 'integer NOT NULL', 'Cycles (rows in cycles).'],
    ['frt_s', 'double precision', 'First response time, seconds (KPIS.md); null if unanswered or the first cycle closed unanswered.'],
    ['first_ttc_s', 'double precision', 'Time to claim of the first pool wait, seconds; null if it ended unclaimed or is open.'],
    ['tfs_s', 'double precision', 'Time to first solution, seconds.'],
    ['trt_s', 'double precision', 'Total resolution time (last close − opened), seconds; null while open.'],
    [
      'frt_business_s',
      'double precision',
      `FRT in ${BUSINESS} the first cycle’s response clock, outside holds); null without that clock or response.`,
    ],
    [
      'first_ttc_business_s',
      'double precision',
      `TTC of the first pool wait in ${BUSINESS} its claim clock); null without that clock or claim.`,
    ],
    [
      'tfs_business_s',
      'double precision',
      `TFS in ${BUSINESS} the first cycle’s resolution clock, outside holds); null without that clock or solution.`,
    ],
    [
      'trt_business_s',
      'double precision',
      `TRT in ${BUSINESS} the last cycle’s resolution clock, outside holds); null without that clock, or while open.`,
    ],
    [
      'fcr_system',
      'boolean NOT NULL',
      'One-touch FCR after the last event: closed resolved, never reopened, ≤ 1 response, never escalated, ' +
        'not routed after its first claim.',
    ],
    [
      'handled_s',
      'double precision NOT NULL',
      'Handling time of the ended assignments, seconds; handling as of a settled asOf adds asOf − open_claimed_at.',
    ],
    [
      'handled_business_s',
      'double precision',
      `Handling time of the ended assignments in ${BUSINESS} each one’s cycle’s response clock, outside holds); ` +
        'null when the ticket has no policy or an ended assignment has no response clock. An open assignment has none.',
    ],
    ['open_claimed_at', 'timestamptz', 'Claim of the assignment still open after the last event, if any.'],
    ['response_late', 'boolean NOT NULL', 'Settled: the first cycle’s response phase is delayed for any asOf at or after the last event.'],
    [
      'response_late_due_at',
      'timestamptz',
      'Settled: the first cycle’s response phase is open and becomes delayed once asOf is past this due time.',
    ],
    ['sla_breached', 'boolean NOT NULL', 'Settled: a response or resolution phase is delayed for any asOf at or after the last event.'],
    [
      'sla_breached_due_at',
      'timestamptz',
      'Settled: the earliest due time of an open response or resolution phase; the ticket breaches once asOf is past it.',
    ],
    [
      'response_targeted',
      'boolean NOT NULL',
      'Settled: the first cycle has a response due time (first_response_due_at), so on-time response % judges the ticket.',
    ],
    [
      'sla_targeted',
      'boolean NOT NULL',
      'Settled: some cycle has a response or resolution due time, so SLA compliance % judges the ticket (no due time: never delayed).',
    ],
  ],
});

export const CLASSIFICATIONS = defineTable({
  name: 'classifications',
  comment: 'Category and priority from an instant on (the opening, then each TicketReclassified).',
  primaryKey: ['ticket_id', 'n'],
  indexes: [],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', 'Order within the ticket.'],
    ['valid_from', 'timestamptz NOT NULL', 'From this occurredAt on.'],
    ['valid_to', 'timestamptz', 'Until the next reclassification (exclusive); null: still current.'],
    ['category', 'text NOT NULL', 'Category.'],
    ['priority', 'text NOT NULL', 'Priority.'],
    [
      'response_due_at',
      'timestamptz',
      'The cycle’s response due time as this classification set it (opening or TicketReclassified); null: no target.',
    ],
    ['resolution_due_at', 'timestamptz', 'The cycle’s resolution due time as this classification set it; null: no target.'],
  ],
});

export const CUSTODY = defineTable({
  name: 'custody',
  comment:
    'Where the ticket was, interval by interval: in a unit’s pool, held by a user of a unit, or closed (at the closing unit). ' +
    'For the backlog and the status columns as of any instant.',
  primaryKey: ['ticket_id', 'seq'],
  indexes: [['unit_id', 'valid_from']],
  columns: [
    ticket,
    ['seq', 'integer NOT NULL', 'Order of intervals that start at the same instant.'],
    ['valid_from', 'timestamptz NOT NULL', 'Start (inclusive).'],
    ['valid_to', 'timestamptz', 'End (exclusive); null: still so.'],
    ['custody_state', 'text NOT NULL', 'Custody state: in_pool, held (in progress or on hold) or closed.'],
    ['unit_id', 'text NOT NULL', 'The unit: the pool’s, the holder’s, or the closing unit.'],
    ['user_id', 'text', 'The holder when held.'],
    ['cycle', 'integer NOT NULL', 'The cycle it belongs to.'],
  ],
});

export const CYCLES = defineTable({
  name: 'cycles',
  comment: 'Cycles: from opening or reopening to the next close; each has a response and a resolution phase.',
  primaryKey: ['ticket_id', 'n'],
  indexes: [['closed_at']],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', '1 for the opening, then one per reopening.'],
    ['started_at', 'timestamptz NOT NULL', 'Opened or reopened at.'],
    ['unit_id', 'text NOT NULL', 'The unit whose pool it started in.'],
    ['response_due_at', 'timestamptz', 'Response due (as last recorded; moved by hold/reclassify); null: no target.'],
    ['resolution_due_at', 'timestamptz', 'Resolution due (as last recorded); null: no target.'],
    ['first_response_at', 'timestamptz', 'The cycle’s first TicketResponded.'],
    ['response_completed_at', 'timestamptz', 'Response phase completion: first response, or the close if unanswered.'],
    ['closed_at', 'timestamptz', 'The close that ended it; null while open.'],
    ['closed_by', 'text', 'User who closed it (null: closed from a pool by a service).'],
    ['closed_unit_id', 'text', 'Unit that closed it.'],
    ['resolution', 'text', 'resolved, not_resolved, duplicate or cancelled.'],
    ['request_met', 'boolean', 'requestMet of the close.'],
    ['policy_id', 'text', 'The SLA policy version of the cycle’s clocks, as last recorded (`<policy>@<version>`); null: no policy.'],
    [
      'response_calendar_id',
      'text',
      'Calendar version of the response clock as last recorded (`<calendar>@<version>`, 24x7@1 = calendar time); null: no target.',
    ],
    ['resolution_calendar_id', 'text', 'Calendar version of the resolution clock as last recorded; null: no target.'],
    [
      'trt_business_s',
      'double precision',
      `TRT were this cycle’s close the last: opened → this close in ${BUSINESS} this cycle’s resolution clock, ` +
        'outside holds); null while open or without that clock.',
    ],
  ],
});

export const POOL_WAITS = defineTable({
  name: 'pool_waits',
  comment:
    'Pool waits: from entering a unit’s pool (open, route, release, reopen) to the claim, or to leaving the unit. ' +
    'Each has its own claim due time.',
  primaryKey: ['ticket_id', 'n'],
  indexes: [
    ['unit_id', 'started_at'],
    // The KPI summary's TTC over settled tickets comes from this index alone.
    { columns: ['ticket_opened_at'], include: ['ticket_id', 'ended_by', 'ended_at', 'ttc_s', 'ttc_business_s', ...KPI_GROUP_COLUMNS] },
  ],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', 'Order within the ticket.'],
    ['cycle', 'integer NOT NULL', 'The cycle it belongs to.'],
    ['unit_id', 'text NOT NULL', 'The pool’s unit.'],
    ['started_at', 'timestamptz NOT NULL', 'Entered the pool.'],
    ['claim_due_at', 'timestamptz', 'Claim due; null: no target.'],
    ['ended_at', 'timestamptz', 'Claimed or left the unit; null: still waiting.'],
    ['ended_by', 'text', 'claim, route or close.'],
    ['claimed_by', 'text', 'The user who claimed it.'],
    ['ttc_s', 'double precision', 'Time to claim, seconds; null unless it ended with a claim.'],
    ['claim_calendar_id', 'text', 'Calendar version of its claim clock (`<calendar>@<version>`, 24x7@1 = calendar time); null: no target.'],
    ['ttc_business_s', 'double precision', `Time to claim in ${BUSINESS} its claim clock); null unless claimed, or without that clock.`],
    ticketOpenedAt,
    ...ticketState,
  ],
});

/** What a unit performance cell reads of a settled stint (reports/unit-performance/unit-cells.sql.ts). */
const UNIT_CELL_COLUMNS = [
  'unit_id',
  'ticket_id',
  'ticket_last_event_at',
  'unit_stints',
  'delayed',
  'delay_due_at',
  'pool_delayed',
  'pool_delay_due_at',
  'ticket_custody_state',
  'ticket_unit_id',
  'category',
] as const;

export const STINTS = defineTable({
  name: 'stints',
  comment: 'Stints: the span a ticket spends with one unit, from entering it (open, route, reopen) to leaving it (route, close).',
  primaryKey: ['ticket_id', 'n'],
  indexes: [
    // A unit's stints: its unit performance row and the ticket list behind its cells read settled tickets from this index alone.
    {
      columns: ['unit_id', 'started_at'],
      include: [
        ...UNIT_CELL_COLUMNS.filter((column) => column !== 'unit_id'),
        'ended_at',
        'ticket_opened_at',
        'ticket_channel',
        'ticket_priority',
        'ticket_status',
        'ticket_user_id',
        'ticket_closed_at',
      ],
    },
    // The unit performance report's settled tickets come from these indexes alone: the stints of tickets
    // with one stint in their unit, and (partial, much smaller) those with several, grouped per ticket.
    { columns: ['started_at'], include: UNIT_CELL_COLUMNS },
    { columns: ['started_at'], include: UNIT_CELL_COLUMNS, where: 'unit_stints > 1' },
  ],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', 'Order within the ticket.'],
    ['cycle', 'integer NOT NULL', 'The cycle it belongs to.'],
    ['unit_id', 'text NOT NULL', 'The unit.'],
    ['started_at', 'timestamptz NOT NULL', 'Entered the unit.'],
    ['ended_at', 'timestamptz', 'Left it; null: still there.'],
    ['ended_by', 'text', 'route or close.'],
    ticketOpenedAt,
    ...ticketState,
    ['delayed', 'boolean NOT NULL', 'Settled: a response or resolution delay attributed to this unit fell due within the stint.'],
    ['delay_due_at', 'timestamptz', 'Settled: the stint becomes delayed once asOf is past this due time (an open phase due within it).'],
    ['pool_delayed', 'boolean NOT NULL', 'Settled: a claim delay of this unit’s pool fell due within the stint.'],
    [
      'pool_delay_due_at',
      'timestamptz',
      'Settled: the stint becomes pool-delayed once asOf is past this claim due time (a pool wait still open).',
    ],
    ['unit_stints', 'integer NOT NULL', 'How many of the ticket’s stints are with this unit (a report counts the ticket once per unit).'],
  ],
});

export const ASSIGNMENTS = defineTable({
  name: 'assignments',
  comment: 'Assignments: the span one user holds the ticket, from TicketClaimed to the release, route or close that ends it.',
  primaryKey: ['ticket_id', 'n'],
  indexes: [
    ['unit_id', 'claimed_at'],
    ['user_id', 'claimed_at'],
    // The KPI summary's TAT over settled tickets comes from this index alone.
    { columns: ['ticket_opened_at'], include: ['ticket_id', 'first_response_at', 'tat_s', 'tat_business_s', ...KPI_GROUP_COLUMNS] },
  ],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', 'Order within the ticket.'],
    ['cycle', 'integer NOT NULL', 'The cycle it belongs to.'],
    ['user_id', 'text NOT NULL', 'The holder.'],
    ['unit_id', 'text NOT NULL', 'The holder’s unit.'],
    ['assigned_by', 'text', 'The supervisor who assigned it; null for a self-claim.'],
    ['claimed_at', 'timestamptz NOT NULL', 'Start.'],
    ['ended_at', 'timestamptz', 'End; null: still held (handling time counts up to asOf).'],
    ['ended_by', 'text', 'release, route or close.'],
    ['first_response_at', 'timestamptz', 'The holder’s first response within this assignment.'],
    ['tat_s', 'double precision', 'Turnaround: first response − claim, seconds; null if none.'],
    [
      'tat_business_s',
      'double precision',
      `Turnaround in ${BUSINESS} its cycle’s response clock, outside holds); null if no response or without that clock.`,
    ],
    [
      'handled_business_s',
      'double precision',
      `Its length (claim → end) in ${BUSINESS} its cycle’s response clock, outside holds); null while held or without that clock.`,
    ],
    ticketOpenedAt,
    ...ticketState,
    [
      'delayed',
      'boolean NOT NULL',
      'Settled: a response or resolution delay attributed to this user in this unit fell due within the assignment.',
    ],
    [
      'delay_due_at',
      'timestamptz',
      'Settled: the assignment becomes delayed once asOf is past this due time (an open phase due within it).',
    ],
    [
      'user_assignments',
      'integer NOT NULL',
      'How many of the ticket’s assignments are this user’s in this unit (a report counts the ticket once per user).',
    ],
  ],
});

export const HOLDS = defineTable({
  name: 'holds',
  comment: 'Holds: they pause the response and resolution clocks of their cycle.',
  primaryKey: ['ticket_id', 'n'],
  indexes: [],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', 'Order within the ticket.'],
    ['cycle', 'integer NOT NULL', 'The cycle it paused.'],
    ['started_at', 'timestamptz NOT NULL', 'Put on hold.'],
    ['ended_at', 'timestamptz', 'Resumed or closed; null: still on hold.'],
    ['response_due_before', 'timestamptz', 'The response due time as it stood when the hold began.'],
    ['resolution_due_before', 'timestamptz', 'The resolution due time as it stood when the hold began.'],
  ],
});

export const RESPONSES = defineTable({
  name: 'responses',
  comment: 'Public replies to the customer (TicketResponded).',
  primaryKey: ['ticket_id', 'n'],
  indexes: [],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', 'Order within the ticket.'],
    ['cycle', 'integer NOT NULL', 'The cycle.'],
    ['responded_at', 'timestamptz NOT NULL', 'occurredAt.'],
    ['user_id', 'text NOT NULL', 'Who answered (the holder).'],
    ['unit_id', 'text NOT NULL', 'The holder’s unit.'],
    ['channel', 'text NOT NULL', 'Channel of the reply.'],
    ['solution', 'boolean NOT NULL', 'Offered a solution.'],
  ],
});

export const DELAYS = defineTable({
  name: 'delays',
  comment:
    'Recorded delays (TicketDelayed): at most one per phase instance, attributed to the unit (and user) ' +
    'holding the ticket at the due time. Open phases past due at a report’s asOf count as delayed too; ' +
    'reports add them at query time.',
  primaryKey: ['ticket_id', 'n'],
  indexes: [['unit_id', 'due_at']],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', 'Order within the ticket.'],
    ['phase', 'text NOT NULL', 'claim, response or resolution.'],
    ['cycle', 'integer NOT NULL', 'The cycle of the phase instance.'],
    ['pool_wait', 'integer', 'The pool wait (n) of a claim delay.'],
    ['unit_id', 'text NOT NULL', 'Attributed unit.'],
    ['user_id', 'text', 'Attributed user (response/resolution, when held at the due time).'],
    ['due_at', 'timestamptz NOT NULL', 'The due time that passed.'],
    ['detected_at', 'timestamptz NOT NULL', 'When the delay event was written (its occurredAt).'],
  ],
});

export const SURVEYS = defineTable({
  name: 'surveys',
  comment: 'Surveys: each rates the ticket’s most recent close before it and is attributed to that close’s unit and user.',
  primaryKey: ['ticket_id', 'n'],
  indexes: [
    ['unit_id', 'surveyed_at'],
    // The KPI summary's survey figures over settled tickets come from this index alone.
    {
      columns: ['ticket_opened_at'],
      include: ['ticket_id', 'surveyed_at', 'score', 'resolved', 'resolved_on_first_contact', ...KPI_GROUP_COLUMNS],
    },
  ],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', 'Order within the ticket.'],
    ['surveyed_at', 'timestamptz NOT NULL', 'occurredAt.'],
    ['score', 'integer NOT NULL', '1 (worst) to 5.'],
    ['resolved', 'boolean', 'Answer to "was it resolved?"; null if not asked.'],
    ['resolved_on_first_contact', 'boolean', 'Answer to "resolved on first contact?"; null if not asked.'],
    ['channel', 'text NOT NULL', 'How the survey was taken.'],
    ['comment', 'text', 'Free text.'],
    ['cycle', 'integer NOT NULL', 'The cycle whose close it rates.'],
    ['closed_at', 'timestamptz NOT NULL', 'The close it rates.'],
    ['unit_id', 'text NOT NULL', 'Unit of that close.'],
    ['user_id', 'text', 'User of that close.'],
    ticketOpenedAt,
    ...ticketState,
  ],
});

export const ESCALATIONS = defineTable({
  name: 'escalations',
  comment: 'TicketEscalated events: a flag and a level (moving the ticket is a route).',
  primaryKey: ['ticket_id', 'n'],
  indexes: [],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', 'Order within the ticket.'],
    ['escalated_at', 'timestamptz NOT NULL', 'occurredAt.'],
    ['level', 'integer NOT NULL', 'The new level.'],
  ],
});

export const ROUTES = defineTable({
  name: 'routes',
  comment: 'TicketRouted events: moves between units.',
  primaryKey: ['ticket_id', 'n'],
  indexes: [],
  columns: [
    ticket,
    ['n', 'integer NOT NULL', 'Order within the ticket.'],
    ['routed_at', 'timestamptz NOT NULL', 'occurredAt.'],
    ['from_unit_id', 'text NOT NULL', 'From.'],
    ['to_unit_id', 'text NOT NULL', 'To (its pool).'],
    ['after_first_claim', 'boolean NOT NULL', 'The ticket had been claimed before (such a route breaks FCR).'],
  ],
});

export const REOPENINGS = defineTable({
  name: 'reopenings',
  comment: 'TicketReopened events.',
  primaryKey: ['ticket_id', 'cycle'],
  indexes: [],
  columns: [
    ticket,
    ['cycle', 'integer NOT NULL', 'The cycle it starts.'],
    ['reopened_at', 'timestamptz NOT NULL', 'occurredAt.'],
    ['unit_id', 'text NOT NULL', 'The unit whose pool it went back to.'],
  ],
});

/**
 * The calendar versions the tickets' clocks name (CalendarDefined events), so the business
 * measures resolve them the same way live and in a rebuild: a version id never changes meaning.
 */
export const CALENDAR_VERSIONS = defineTable({
  name: 'calendar_versions',
  comment:
    'Business calendar versions (CalendarDefined) as the tickets projection read them: the calendars its *_business_s measures ' +
    'are computed in. 24x7@1 (calendar time) is built in and not listed.',
  primaryKey: ['calendar_version_id'],
  indexes: [],
  columns: [
    ['calendar_version_id', 'text NOT NULL', 'The version id tickets record: `<calendar>@<version>`.'],
    ['calendar_id', 'text NOT NULL', 'The calendar.'],
    ['version', 'integer NOT NULL', '1, 2, … in the order defined.'],
    ['name', 'text NOT NULL', 'Its display name.'],
    ['effective_from', 'timestamptz NOT NULL', 'In force for clocks started from this instant (until the next version’s).'],
    ['definition', 'jsonb NOT NULL', 'Zone, weekly working intervals and date overrides (CalendarDefinition).'],
    ['defined_by', 'text NOT NULL', 'Who defined it (the event’s `by`).'],
    ['defined_at', 'timestamptz NOT NULL', 'The event’s occurredAt.'],
  ],
});

/** The projection's own state: each ticket's folded history, so a batch folds only its new events. */
export const TICKET_HISTORIES = defineTable({
  name: 'ticket_histories',
  comment:
    'Internal state of the tickets projection: each ticket’s folded history (the source of its rows in the other tables). ' +
    'Not meant for reports.',
  primaryKey: ['ticket_id'],
  indexes: [],
  columns: [
    ticket,
    ['revision', 'integer NOT NULL', 'Revision of the last event folded; older events are ignored on replay.'],
    // json, not jsonb: it is only ever read back whole, and json's input only validates the text where
    // jsonb's parses and re-encodes it (the largest PostgreSQL cost of storing it in a rebuild).
    ['history', 'json NOT NULL', 'The folded history (projections/tickets/ticket-history.ts).'],
  ],
});

/** Every table of the projection, in the order they are written. */
export const TICKET_TABLES = [
  TICKETS,
  CLASSIFICATIONS,
  CUSTODY,
  CYCLES,
  POOL_WAITS,
  STINTS,
  ASSIGNMENTS,
  HOLDS,
  RESPONSES,
  DELAYS,
  SURVEYS,
  ESCALATIONS,
  ROUTES,
  REOPENINGS,
  TICKET_HISTORIES,
] as const;

export type TicketTable = (typeof TICKET_TABLES)[number];

/** One ticket's rows in every table of the projection, by table name, each row of its table's declared columns. */
export type TicketRows = { [Table in TicketTable as Table['name']]: Array<RowOf<Table>> };
