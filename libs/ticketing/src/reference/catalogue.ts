import type {
  CalendarVersionDefinition,
  CategoryDefinition,
  ChannelDefinition,
  CustomerTierDefinition,
  EscalationRuleVersionDefinition,
  PriorityDefinition,
  SlaPolicyVersionDefinition,
  UnitDefinition,
  UserDefinition,
} from './definitions.js';

/**
 * All reference data in force, folded from the reference streams: what ticket commands are
 * checked against and policies are matched in. Retired units, users, categories, priorities,
 * channels and tiers are absent; calendar versions stay forever (recorded ids must resolve).
 */
export interface Versioned<Definition> {
  id: string;
  /** 1, 2, … in the order they were defined */
  version: number;
  /** true once retired from `definition.effectiveFrom` on (a retirement is a version too) */
  retired: boolean;
  definition: Definition;
}

export interface ReferenceCatalogue {
  units: ReadonlyMap<string, UnitDefinition>;
  users: ReadonlyMap<string, UserDefinition>;
  categories: ReadonlyMap<string, CategoryDefinition>;
  priorities: ReadonlyMap<string, PriorityDefinition>;
  channels: ReadonlyMap<string, ChannelDefinition>;
  customerTiers: ReadonlyMap<string, CustomerTierDefinition>;
  /** id → its versions in version order */
  calendars: ReadonlyMap<string, readonly Versioned<CalendarVersionDefinition>[]>;
  slaPolicies: ReadonlyMap<string, readonly Versioned<SlaPolicyVersionDefinition>[]>;
  escalationRules: ReadonlyMap<string, readonly Versioned<EscalationRuleVersionDefinition>[]>;
}

export const EMPTY_CATALOGUE: ReferenceCatalogue = {
  units: new Map(),
  users: new Map(),
  categories: new Map(),
  priorities: new Map(),
  channels: new Map(),
  customerTiers: new Map(),
  calendars: new Map(),
  slaPolicies: new Map(),
  escalationRules: new Map(),
};

/**
 * Open: any name is accepted (and the projection lists the names it saw). Strict: unknown
 * names are refused. `auto` (the default setting) is strict once a unit is defined.
 */
export type ReferenceMode = 'open' | 'strict';
export type ReferenceModeSetting = ReferenceMode | 'auto';

export function referenceMode(setting: ReferenceModeSetting, catalogue: ReferenceCatalogue): ReferenceMode {
  if (setting !== 'auto') return setting;
  return catalogue.units.size > 0 ? 'strict' : 'open';
}
