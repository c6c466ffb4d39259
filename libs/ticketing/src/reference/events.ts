import type { ReferenceDefinitions } from './definitions.js';

/**
 * The events of the reference streams (`ref-<kind>-<id>`). Each carries the whole definition
 * as it stands after the change (reference data is small; a reader never needs the previous
 * event to know the current state), who made the change (`by`: the API key's service, `cli`,
 * `import`) and, like every event, its instant. Type names are stable stored strings.
 */

interface Event<Type extends string, Data> {
  type: Type;
  data: Data;
  occurredAt: string;
}

interface Defined<Definition> {
  id: string;
  by: string;
  definition: Definition;
}

interface VersionDefined<Definition> extends Defined<Definition> {
  /** 1, 2, …: the version id tickets record is `<id>@<version>` */
  version: number;
}

interface Retired {
  id: string;
  by: string;
}

export type UnitDefined = Event<'UnitDefined', Defined<ReferenceDefinitions['unit']>>;
export type UnitRetired = Event<'UnitRetired', Retired>;
export type UserDefined = Event<'UserDefined', Defined<ReferenceDefinitions['user']>>;
export type UserRetired = Event<'UserRetired', Retired>;
export type CategoryDefined = Event<'CategoryDefined', Defined<ReferenceDefinitions['category']>>;
export type CategoryRetired = Event<'CategoryRetired', Retired>;
export type PriorityDefined = Event<'PriorityDefined', Defined<ReferenceDefinitions['priority']>>;
export type PriorityRetired = Event<'PriorityRetired', Retired>;
export type ChannelDefined = Event<'ChannelDefined', Defined<ReferenceDefinitions['channel']>>;
export type ChannelRetired = Event<'ChannelRetired', Retired>;
export type CustomerTierDefined = Event<'CustomerTierDefined', Defined<ReferenceDefinitions['customerTier']>>;
export type CustomerTierRetired = Event<'CustomerTierRetired', Retired>;
/** A new version of a calendar, in force from `definition.effectiveFrom`. Calendars are never retired: recorded ids must resolve. */
export type CalendarDefined = Event<'CalendarDefined', VersionDefined<ReferenceDefinitions['calendar']>>;
export type SlaPolicyDefined = Event<'SlaPolicyDefined', VersionDefined<ReferenceDefinitions['slaPolicy']>>;
/** A policy stops matching from `effectiveFrom` on (a version of its own, so history replays). */
export type SlaPolicyRetired = Event<'SlaPolicyRetired', Retired & { version: number; effectiveFrom: string }>;

export type EscalationRuleDefined = Event<'EscalationRuleDefined', VersionDefined<ReferenceDefinitions['escalationRule']>>;
/** A rule stops matching from `effectiveFrom` on, like a policy's retirement. */
export type EscalationRuleRetired = Event<'EscalationRuleRetired', Retired & { version: number; effectiveFrom: string }>;

export type ReferenceEvent =
  | UnitDefined
  | UnitRetired
  | UserDefined
  | UserRetired
  | CategoryDefined
  | CategoryRetired
  | PriorityDefined
  | PriorityRetired
  | ChannelDefined
  | ChannelRetired
  | CustomerTierDefined
  | CustomerTierRetired
  | CalendarDefined
  | SlaPolicyDefined
  | SlaPolicyRetired
  | EscalationRuleDefined
  | EscalationRuleRetired;

export type ReferenceEventType = ReferenceEvent['type'];

export const REFERENCE_EVENT_TYPES: readonly ReferenceEventType[] = [
  'UnitDefined',
  'UnitRetired',
  'UserDefined',
  'UserRetired',
  'CategoryDefined',
  'CategoryRetired',
  'PriorityDefined',
  'PriorityRetired',
  'ChannelDefined',
  'ChannelRetired',
  'CustomerTierDefined',
  'CustomerTierRetired',
  'CalendarDefined',
  'SlaPolicyDefined',
  'SlaPolicyRetired',
  'EscalationRuleDefined',
  'EscalationRuleRetired',
];

export function isReferenceEventType(type: string): type is ReferenceEventType {
  return (REFERENCE_EVENT_TYPES as readonly string[]).includes(type);
}
