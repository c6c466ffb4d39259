import { IANAZone } from 'luxon';
import { wallToInstant } from '#ticketing/business-time/wall-clock.js';
import type { ExistingTicket, TicketCommand, TicketState } from '#ticketing';
import { lineOf, ruleFor, type ActivityRule, type ImportMapping } from './mapping.js';
import type { RejectReason, SourceRow } from './source-row.js';

/**
 * From a log's rows to ticket commands, pure. `mapRow` reads a row through the mapping;
 * `nextStep` says which command the row still needs on the ticket as it stands, so a row
 * becomes a short series of commands (decide and fold between them) and the series ends
 * when the state already says what the row says. Where the log does what the live rules
 * refuse, the step says so (`bridge`) and the importer counts it.
 */

/** A row read through the mapping. */
export interface MappedRow {
  line: number;
  caseId: string;
  activity: string;
  rule: ActivityRule;
  /** ISO-8601 UTC with milliseconds */
  at: string;
  group: string;
  resource: string | null;
  priority: string;
  category: string;
  product: string | null;
  channel: string;
  customer: string;
  subject: string;
}

export interface RowRejection {
  reason: RejectReason;
  message: string;
}

export type BridgeKind =
  /** a held ticket moved to another team: resumed first (a route needs the clock running) */
  | 'resume_before_route'
  /** a held ticket queued again or taken by someone else: resumed first (a release needs it) */
  | 'resume_before_release'
  /** a move up to a support line the ticket had reached before: a route, not a new escalation */
  | 'move_up_to_line_reached';

export const BRIDGE_KINDS: readonly BridgeKind[] = ['resume_before_route', 'resume_before_release', 'move_up_to_line_reached'];

export interface Step {
  command: TicketCommand;
  bridge?: BridgeKind;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** An ISO-8601 timestamp as an instant: with its offset, or read in `zone` when it has none. */
export function parseTimestamp(text: string, zone: string | undefined): string | RowRejection {
  const match = TIMESTAMP.exec(text.trim());
  if (match === null) return { reason: 'bad_timestamp', message: `"${text}" is not an ISO-8601 date and time` };
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  const back = new Date(wall);
  if (
    back.getUTCFullYear() !== Number(y) ||
    back.getUTCMonth() !== Number(mo) - 1 ||
    back.getUTCDate() !== Number(d) ||
    back.getUTCHours() !== Number(h) ||
    back.getUTCMinutes() !== Number(mi) ||
    Number(s ?? 0) > 59
  )
    return { reason: 'bad_timestamp', message: `"${text}" names no real date and time` };
  if (offset === undefined) {
    if (zone === undefined) return { reason: 'bad_timestamp', message: `"${text}" has no offset and the mapping names no zone` };
    return new Date(wallToInstant(IANAZone.create(zone), wall)).toISOString();
  }
  if (offset === 'Z') return back.toISOString();
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return new Date(wall - sign * minutes * 60_000).toISOString();
}

function field(row: SourceRow, column: string | undefined): string | undefined {
  if (column === undefined) return undefined;
  const value = row.fields[column]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A row through the mapping, or why it cannot be imported. */
export function mapRow(mapping: ImportMapping, caseId: string, row: SourceRow): MappedRow | RowRejection {
  const { columns, constants = {} } = mapping;
  const activityColumns = Array.isArray(columns.activity) ? columns.activity : [columns.activity];
  const parts = activityColumns.map((column) => field(row, column));
  if (parts.some((part) => part === undefined)) return { reason: 'missing_field', message: `no activity (${activityColumns.join(', ')})` };
  const activity = parts.join('/');
  const rule = ruleFor(mapping, activity);
  if (rule === undefined) return { reason: 'unknown_activity', message: `no rule of the mapping matches the activity "${activity}"` };
  const stamp = field(row, columns.timestamp.column);
  if (stamp === undefined) return { reason: 'missing_field', message: `no timestamp (${columns.timestamp.column})` };
  const at = parseTimestamp(stamp, columns.timestamp.zone);
  if (typeof at !== 'string') return at;
  const group = field(row, columns.group);
  if (group === undefined) return { reason: 'missing_field', message: `no group (${columns.group})` };
  const resource = field(row, columns.resource) ?? null;
  if (resource === null && (rule.action === 'work' || rule.action === 'hold'))
    return { reason: 'missing_field', message: `no resource (${columns.resource ?? 'not mapped'}) for "${activity}"` };
  const required = (name: 'priority' | 'category' | 'channel' | 'customer'): string | RowRejection =>
    field(row, columns[name]) ?? constants[name] ?? { reason: 'missing_field', message: `no ${name} (a column or a constant)` };
  const priority = required('priority');
  const category = required('category');
  const channel = required('channel');
  const customer = required('customer');
  for (const value of [priority, category, channel, customer]) if (typeof value !== 'string') return value;
  return {
    line: row.line,
    caseId,
    activity,
    rule,
    at,
    group,
    resource,
    priority: priority as string,
    category: category as string,
    product: field(row, columns.product) ?? null,
    channel: channel as string,
    customer: customer as string,
    subject: field(row, columns.subject) ?? caseId,
  };
}

function resume(ticket: ExistingTicket, bridge?: BridgeKind): Step {
  return { command: { type: 'ResumeTicket', data: { userId: ticket.holder ?? '' } }, ...(bridge ? { bridge } : {}) };
}

/** To another team: an escalation when it goes above the highest line reached, else a route. */
function move(mapping: ImportMapping, ticket: ExistingTicket, row: MappedRow): Step {
  const to = row.group;
  const line = lineOf(mapping, to);
  const userId = ticket.holder;
  if (line > lineOf(mapping, ticket.unitId)) {
    const level = line - 1;
    if (level > ticket.escalationLevel)
      return { command: { type: 'EscalateTicket', data: { level, toUnitId: to, reason: `moved to support line ${line}`, userId } } };
    const command: TicketCommand = { type: 'RouteTicket', data: { toUnitId: to, reason: `back up to support line ${line}`, userId } };
    return { command, bridge: 'move_up_to_line_reached' };
  }
  return { command: { type: 'RouteTicket', data: { toUnitId: to, reason: 'team changed in the source log', userId } } };
}

/**
 * The next command `row` needs on `state`, or null when the ticket already is what the row says
 * (docs/decisions.md "Importing history"; the BPI 2013 README's rules, in their order).
 */
export function nextStep(mapping: ImportMapping, state: TicketState, row: MappedRow): Step | null {
  const { rule } = row;
  if (!state.exists) {
    const data = {
      channel: row.channel,
      customer: row.customer,
      category: row.category,
      priority: row.priority,
      product: row.product,
      subject: row.subject,
      unitId: row.group,
    };
    return { command: { type: 'OpenTicket', data } };
  }
  const ticket = state;
  if (ticket.status === 'closed') {
    if (rule.action === 'close') return null;
    return { command: { type: 'ReopenTicket', data: { reason: `${row.activity} after the close`, userId: null } } };
  }
  if (row.group !== ticket.unitId) return ticket.hold !== null ? resume(ticket, 'resume_before_route') : move(mapping, ticket, row);
  const holder = ticket.holder;
  switch (rule.action) {
    case 'skip':
    case 'none':
      return null;
    case 'release':
      if (holder === null) return null;
      if (ticket.hold !== null) return resume(ticket, 'resume_before_release');
      return { command: { type: 'ReleaseTicket', data: { userId: holder, reason: row.activity } } };
    case 'work':
    case 'hold': {
      const resource = row.resource ?? '';
      if (holder !== null && holder !== resource) {
        if (ticket.hold !== null) return resume(ticket, 'resume_before_release');
        return { command: { type: 'ReleaseTicket', data: { userId: holder, reason: `taken over by ${resource}` } } };
      }
      if (holder === null) return { command: { type: 'ClaimTicket', data: { userId: resource } } };
      if (rule.action === 'hold')
        return ticket.hold === null ? { command: { type: 'PutTicketOnHold', data: { userId: holder, reason: row.activity } } } : null;
      return ticket.hold !== null ? resume(ticket) : null;
    }
    case 'close': {
      if (ticket.hold !== null) return resume(ticket);
      if (holder === null) {
        // The log's closer is often a system account; a person claims only when nobody holds it.
        if (row.resource !== null) return { command: { type: 'ClaimTicket', data: { userId: row.resource } } };
        return closeStep(row, null);
      }
      return closeStep(row, holder);
    }
    default: {
      const unknownAction: never = rule.action;
      throw new Error(`unknown action ${String(unknownAction)}`);
    }
  }
}

function closeStep(row: MappedRow, userId: string | null): Step {
  const resolution = row.rule.resolution ?? 'resolved';
  return { command: { type: 'CloseTicket', data: { userId, resolution, requestMet: resolution === 'resolved' } } };
}
