import type { CalendarDefinition } from '../business-time/calendar.js';
import type { Phase } from '../ticket/events.js';

/**
 * The reference data a contact centre defines (issue 10): units, users and memberships, the
 * category tree, priorities, channels, customer tiers, business calendars and SLA policies.
 * Plain data, as an admin writes it (API, `cli ref` file) and as its events carry it. Every
 * entity has a stable `id` (the name tickets use: `unitId`, `category`, `priority`, …) and lives
 * in its own stream (`referenceStreamId`). Calendars and policies are versioned by effective
 * instant; the others are current-state (their history is their stream).
 */

export const REFERENCE_KINDS = [
  'unit',
  'user',
  'category',
  'priority',
  'channel',
  'customerTier',
  'calendar',
  'slaPolicy',
  'escalationRule',
] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export interface UnitDefinition {
  name: string;
  /** calendar id (its version in force applies); null = the 24/7 calendar */
  calendar: string | null;
  parentUnit: string | null;
  /** who is told when one of the unit's tickets escalates: user ids or e-mail addresses */
  escalationContacts: string[];
}

export interface Membership {
  unit: string;
  supervisor: boolean;
}

export interface UserDefinition {
  name: string;
  memberships: Membership[];
}

export interface CategoryDefinition {
  name: string;
  /** parent category id; null = a root. A policy on a category covers its whole subtree. */
  parent: string | null;
}

export interface PriorityDefinition {
  name: string;
  /** 1 = most urgent; for ordering in reports and pickers */
  rank: number;
}

export interface ChannelDefinition {
  name: string;
}

export interface CustomerTierDefinition {
  name: string;
  rank: number;
}

/** One version of a calendar: in force from `effectiveFrom` until the next version's. */
export interface CalendarVersionDefinition {
  name: string;
  effectiveFrom: string;
  definition: CalendarDefinition;
}

export type TargetTime = 'business' | 'calendar';

/** A target: `seconds` of business time (in the policy's calendar) or of calendar time (24/7). */
export interface SlaTarget {
  seconds: number;
  time: TargetTime;
}

/** What a policy matches on; an absent criterion matches anything. */
export interface PolicyMatch {
  /** a category node: covers the node and its whole subtree */
  category?: string;
  priority?: string;
  channel?: string;
  customerTier?: string;
}

/** One version of an SLA policy: in force from `effectiveFrom` until the next version's. */
export interface SlaPolicyVersionDefinition {
  name: string;
  effectiveFrom: string;
  /**
   * The tie-breaker between equally specific matches: the lower order wins. Unique among the
   * policies in force.
   */
  order: number;
  match: PolicyMatch;
  /** null = no target for that phase (no due time, never late) */
  targets: { claim: SlaTarget | null; response: SlaTarget | null; resolution: SlaTarget | null };
  /** calendar id for business targets; null = the ticket's unit's calendar */
  calendar: string | null;
  /**
   * Breach warnings: percents of each target (integers 1–99, ascending) at which a
   * `TicketBreachWarned` is written. Absent = none; a re-import without it writes nothing new.
   */
  warnings?: number[];
}

/** Where a level escalates to: the supervisors of a unit (null = the unit holding the ticket), or another unit. */
export type EscalationTarget = { supervisorOf: string | null } | { unit: string };

export interface EscalationLevel {
  /** 1, 2, … ascending */
  level: number;
  /** after the phase's due (level 1 usually 0) */
  afterSeconds: number;
  to: EscalationTarget;
  /** also move the ticket to the target unit (a TicketRouted in the same append) */
  route: boolean;
}

/** One version of an escalation rule (issue 11): on a delay of `phase`, escalate by `levels`. Matched like a policy. */
export interface EscalationRuleVersionDefinition {
  name: string;
  effectiveFrom: string;
  /** tie-breaker between equally specific matches, unique among the rules in force */
  order: number;
  match: PolicyMatch;
  phase: Phase;
  levels: EscalationLevel[];
}

export interface ReferenceDefinitions {
  unit: UnitDefinition;
  user: UserDefinition;
  category: CategoryDefinition;
  priority: PriorityDefinition;
  channel: ChannelDefinition;
  customerTier: CustomerTierDefinition;
  calendar: CalendarVersionDefinition;
  slaPolicy: SlaPolicyVersionDefinition;
  escalationRule: EscalationRuleVersionDefinition;
}

/** The built-in 24/7 calendar: always defined, never redefined (calendar time). */
export const ALWAYS_OPEN_CALENDAR_ID = '24x7';

/** A calendar or policy version's id as tickets record it: `<id>@<version>` (version from 1). */
export function versionId(id: string, version: number): string {
  return `${id}@${version}`;
}

const STREAM_PREFIX: Record<ReferenceKind, string> = {
  unit: 'ref-unit-',
  user: 'ref-user-',
  category: 'ref-category-',
  priority: 'ref-priority-',
  channel: 'ref-channel-',
  customerTier: 'ref-tier-',
  calendar: 'ref-calendar-',
  slaPolicy: 'ref-policy-',
  escalationRule: 'ref-escalation-',
};

export const REFERENCE_STREAM_PREFIX = 'ref-';

export function referenceStreamId(kind: ReferenceKind, id: string): string {
  return `${STREAM_PREFIX[kind]}${id}`;
}
