import type { ProjectionTable } from '#read-model/projections/projection.js';
import { createTableSql, defineTable, type TableDefinition } from '#read-model/projections/table-definition.js';

/**
 * The tables of the `reference` projection: the reference data in force (issue 10) as analysts
 * join it to the ticket tables, and the names ticket events used (ref_seen_names: what open mode
 * "registers on first use"). Every row says who last changed it and when, from its event.
 */

const CHANGED_BY: readonly [string, string, string] = [
  'changed_by',
  'text NOT NULL',
  'Who made the change this row shows: the API key’s service name, cli or import (the event’s by).',
];
const CHANGED_AT: readonly [string, string, string] = [
  'changed_at',
  'timestamptz NOT NULL',
  'When that change happened (the event’s occurredAt).',
];

export const REF_UNITS = defineTable({
  name: 'ref_units',
  comment: 'Units in force (UnitDefined; a retired unit has no row). unit_id is the name ticket events use as unitId.',
  primaryKey: ['unit_id'],
  indexes: [],
  columns: [
    ['unit_id', 'text NOT NULL', 'The unit’s id, as tickets record it (unitId, toUnitId).'],
    ['name', 'text NOT NULL', 'Display name.'],
    [
      'calendar_id',
      'text',
      'Its business calendar (ref_calendar_versions.calendar_id; the version in force applies); null: the 24/7 calendar.',
    ],
    ['parent_unit_id', 'text', 'The unit above it (ref_units.unit_id); null: a top unit.'],
    ['escalation_contacts', 'jsonb NOT NULL', 'JSON array of user ids or e-mail addresses told when one of its tickets escalates.'],
    CHANGED_BY,
    CHANGED_AT,
  ],
});

export const REF_USERS = defineTable({
  name: 'ref_users',
  comment: 'Users in force (UserDefined; a retired user has no row). user_id is the name ticket events use as userId.',
  primaryKey: ['user_id'],
  indexes: [],
  columns: [
    ['user_id', 'text NOT NULL', 'The user’s id, as tickets record it (userId, assignedBy).'],
    ['name', 'text NOT NULL', 'Display name.'],
    CHANGED_BY,
    CHANGED_AT,
  ],
});

export const REF_MEMBERSHIPS = defineTable({
  name: 'ref_memberships',
  comment: 'Which units each user in force belongs to, and where the user is a supervisor (may assign the unit’s tickets).',
  primaryKey: ['user_id', 'unit_id'],
  indexes: [['unit_id']],
  columns: [
    ['user_id', 'text NOT NULL', 'The user (ref_users.user_id).'],
    ['unit_id', 'text NOT NULL', 'The unit (ref_units.unit_id).'],
    ['supervisor', 'boolean NOT NULL', 'True when the user supervises the unit.'],
    CHANGED_BY,
    CHANGED_AT,
  ],
});

export const REF_CATEGORIES = defineTable({
  name: 'ref_categories',
  comment: 'The category tree in force (CategoryDefined). A policy on a category covers its whole subtree: join on path prefixes.',
  primaryKey: ['category_id'],
  indexes: [['parent_id']],
  columns: [
    ['category_id', 'text NOT NULL', 'The category’s id, as tickets record it (category).'],
    ['name', 'text NOT NULL', 'Display name.'],
    ['parent_id', 'text', 'The parent category (ref_categories.category_id); null: a root.'],
    ['path', 'text NOT NULL', 'The ids from the root down to this category, joined by " > " (e.g. billing > refund > late).'],
    ['depth', 'integer NOT NULL', 'Levels below the root: 0 for a root.'],
    CHANGED_BY,
    CHANGED_AT,
  ],
});

export const REF_PRIORITIES = defineTable({
  name: 'ref_priorities',
  comment: 'Priorities in force (PriorityDefined).',
  primaryKey: ['priority_id'],
  indexes: [],
  columns: [
    ['priority_id', 'text NOT NULL', 'The priority’s id, as tickets record it (priority).'],
    ['name', 'text NOT NULL', 'Display name.'],
    ['rank', 'integer NOT NULL', '1 = most urgent; for ordering.'],
    CHANGED_BY,
    CHANGED_AT,
  ],
});

export const REF_CHANNELS = defineTable({
  name: 'ref_channels',
  comment: 'Channels in force (ChannelDefined).',
  primaryKey: ['channel_id'],
  indexes: [],
  columns: [
    ['channel_id', 'text NOT NULL', 'The channel’s id, as tickets record it (channel).'],
    ['name', 'text NOT NULL', 'Display name.'],
    CHANGED_BY,
    CHANGED_AT,
  ],
});

export const REF_CUSTOMER_TIERS = defineTable({
  name: 'ref_customer_tiers',
  comment: 'Customer tiers in force (CustomerTierDefined).',
  primaryKey: ['tier_id'],
  indexes: [],
  columns: [
    ['tier_id', 'text NOT NULL', 'The tier’s id, as tickets record it (customerTier).'],
    ['name', 'text NOT NULL', 'Display name.'],
    ['rank', 'integer NOT NULL', '1 = the highest tier; for ordering.'],
    CHANGED_BY,
    CHANGED_AT,
  ],
});

export const REF_CALENDAR_VERSIONS = defineTable({
  name: 'ref_calendar_versions',
  comment:
    'Every version of every business calendar (CalendarDefined; calendars are never retired). Ticket events name the version ' +
    'that timed a clock as version_id; a version is in force from effective_from until the next version’s.',
  primaryKey: ['calendar_id', 'version'],
  indexes: [['version_id']],
  columns: [
    ['calendar_id', 'text NOT NULL', 'The calendar’s id.'],
    ['version', 'integer NOT NULL', '1, 2, … in the order the versions were defined.'],
    ['version_id', 'text NOT NULL', '<calendar_id>@<version>, as ticket events record it.'],
    ['name', 'text NOT NULL', 'Display name of this version.'],
    ['effective_from', 'timestamptz NOT NULL', 'The instant this version takes effect.'],
    [
      'definition',
      'jsonb NOT NULL',
      'The calendar: {zone, weekly: {mon: [["09:00","12:00"], …], …}, overrides: {"2026-04-23": [], …}} (KPIS.md "Business time").',
    ],
    CHANGED_BY,
    CHANGED_AT,
  ],
});

export const REF_SLA_POLICY_VERSIONS = defineTable({
  name: 'ref_sla_policy_versions',
  comment:
    'Every version of every SLA policy (SlaPolicyDefined, SlaPolicyRetired: a retirement is a version of its own that keeps the ' +
    'retired terms, retired = true). Ticket events name the policy version that set a due time as version_id.',
  primaryKey: ['policy_id', 'version'],
  indexes: [['version_id']],
  columns: [
    ['policy_id', 'text NOT NULL', 'The policy’s id.'],
    ['version', 'integer NOT NULL', '1, 2, … in the order the versions were defined.'],
    ['version_id', 'text NOT NULL', '<policy_id>@<version>, as ticket events record it.'],
    ['retired', 'boolean NOT NULL', 'True: from effective_from on the policy matches nothing.'],
    ['name', 'text NOT NULL', 'Display name.'],
    ['effective_from', 'timestamptz NOT NULL', 'The instant this version takes effect.'],
    ['match_order', 'integer NOT NULL', 'Tie-breaker between equally specific matches: the lower wins.'],
    ['match_category', 'text', 'The category (with its subtree) it matches; null: any.'],
    ['match_priority', 'text', 'The priority it matches; null: any.'],
    ['match_channel', 'text', 'The channel it matches; null: any.'],
    ['match_customer_tier', 'text', 'The customer tier it matches; null: any.'],
    ['claim_seconds', 'integer', 'Claim target in seconds; null: no claim target.'],
    ['claim_time', 'text', 'business (in the calendar) or calendar (24/7) for the claim target; null with no target.'],
    ['response_seconds', 'integer', 'Response target in seconds; null: no response target.'],
    ['response_time', 'text', 'business or calendar for the response target; null with no target.'],
    ['resolution_seconds', 'integer', 'Resolution target in seconds; null: no resolution target.'],
    ['resolution_time', 'text', 'business or calendar for the resolution target; null with no target.'],
    ['calendar_id', 'text', 'Calendar of the business targets; null: the ticket’s unit’s calendar.'],
    CHANGED_BY,
    CHANGED_AT,
  ],
});

export const REF_SEEN_NAMES = defineTable({
  name: 'ref_seen_names',
  comment:
    'Every unit, user, category, priority, channel and customer-tier name a ticket event used (unitId, toUnitId, userId, ' +
    'assignedBy, category, priority, channel, customerTier), defined or not: what open mode accepted, to define or map before ' +
    'switching to strict.',
  primaryKey: ['kind', 'name'],
  indexes: [],
  columns: [
    ['kind', 'text NOT NULL', 'unit, user, category, priority, channel or customerTier.'],
    ['name', 'text NOT NULL', 'The name as the ticket event carried it.'],
    ['first_seen_at', 'timestamptz NOT NULL', 'occurredAt of the earliest ticket event that used it.'],
    ['last_seen_at', 'timestamptz NOT NULL', 'occurredAt of the latest ticket event that used it.'],
    ['ticket_count', 'integer NOT NULL', 'Tickets whose events used it (each ticket once).'],
  ],
});

export const REF_SEEN_TICKETS = defineTable({
  name: 'ref_seen_tickets',
  comment:
    'The names each ticket’s events used so far, as kind/name: what keeps ref_seen_names.ticket_count counting a ticket ' +
    'once per name (one row per ticket).',
  primaryKey: ['ticket_id'],
  indexes: [],
  columns: [
    ['ticket_id', 'text NOT NULL', 'The ticket.'],
    ['names', 'jsonb NOT NULL', 'JSON array of "<kind>/<name>" strings, sorted, each once.'],
  ],
});

export const REFERENCE_TABLES: readonly TableDefinition[] = [
  REF_UNITS,
  REF_USERS,
  REF_MEMBERSHIPS,
  REF_CATEGORIES,
  REF_PRIORITIES,
  REF_CHANNELS,
  REF_CUSTOMER_TIERS,
  REF_CALENDAR_VERSIONS,
  REF_SLA_POLICY_VERSIONS,
  REF_SEEN_NAMES,
  REF_SEEN_TICKETS,
];

export type ReferenceTableName = (typeof REFERENCE_TABLES)[number]['name'];

export function referenceTables(prefix = ''): ProjectionTable[] {
  return REFERENCE_TABLES.map((table) => ({ name: `${prefix}${table.name}`, create: (physical) => createTableSql(table, physical) }));
}
