import { DomainError } from '../ticket/errors.js';
import type { ReferenceCatalogue, Versioned } from './catalogue.js';
import type { DefineReference, ReferenceCommand, ReferenceDecideContext, RetireReference } from './commands.js';
import {
  ALWAYS_OPEN_CALENDAR_ID,
  REFERENCE_KINDS,
  type CategoryDefinition,
  type EscalationRuleVersionDefinition,
  type ReferenceDefinitions,
  type ReferenceKind,
  type SlaPolicyVersionDefinition,
  type UnitDefinition,
  type UserDefinition,
} from './definitions.js';
import { ReferenceErrors } from './errors.js';
import type { ReferenceEvent } from './events.js';
import { canonicalJson } from './canonical-json.js';
import { isReferenceId, referenceInstant, validateDefinition } from './validate.js';

/**
 * The reference decider: a command and the catalogue in force → the events to append, or a
 * DomainError naming the field. Defining an entity exactly as it stands writes nothing, so a
 * re-import of the same file is a no-op; calendars and policies get the next version.
 */

type CurrentKind = Exclude<ReferenceKind, 'calendar' | 'slaPolicy' | 'escalationRule'>;

function currentMap(catalogue: ReferenceCatalogue, kind: CurrentKind): ReadonlyMap<string, unknown> {
  switch (kind) {
    case 'unit':
      return catalogue.units;
    case 'user':
      return catalogue.users;
    case 'category':
      return catalogue.categories;
    case 'priority':
      return catalogue.priorities;
    case 'channel':
      return catalogue.channels;
    case 'customerTier':
      return catalogue.customerTiers;
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}

export function hasCalendar(catalogue: ReferenceCatalogue, id: string): boolean {
  return id === ALWAYS_OPEN_CALENDAR_ID || catalogue.calendars.has(id);
}

/** The newest version of each policy, unless that version retired it. */
export function policiesInForce(catalogue: ReferenceCatalogue): Array<Versioned<SlaPolicyVersionDefinition>> {
  const inForce: Array<Versioned<SlaPolicyVersionDefinition>> = [];
  for (const versions of catalogue.slaPolicies.values()) {
    const last = versions[versions.length - 1];
    if (last !== undefined && !last.retired) inForce.push(last);
  }
  return inForce;
}

/** The newest version of each escalation rule, unless that version retired it. */
export function rulesInForce(catalogue: ReferenceCatalogue): Array<Versioned<EscalationRuleVersionDefinition>> {
  const inForce: Array<Versioned<EscalationRuleVersionDefinition>> = [];
  for (const versions of catalogue.escalationRules.values()) {
    const last = versions[versions.length - 1];
    if (last !== undefined && !last.retired) inForce.push(last);
  }
  return inForce;
}

function requireLink(field: string, kind: ReferenceKind, id: string | null | undefined, exists: (id: string) => boolean): void {
  if (id !== null && id !== undefined && !exists(id)) throw ReferenceErrors.unknownLink(field, kind, id);
}

/** Walks the parent links from `start`; `parentOf` already sees the entity as it would be. */
function refuseCycle(kind: ReferenceKind, field: string, id: string, start: string | null, parentOf: (id: string) => string | null): void {
  const path = [id];
  for (let next = start; next !== null; next = parentOf(next)) {
    path.push(next);
    if (next === id) throw ReferenceErrors.cycle(field, kind, path);
    // The catalogue itself has no cycle, so a walk longer than it is cannot happen; the bound keeps that an assumption, not a hang.
    if (path.length > 10_000) throw ReferenceErrors.cycle(field, kind, path.slice(0, 10));
  }
}

function checkUnit(catalogue: ReferenceCatalogue, id: string, unit: UnitDefinition): void {
  requireLink('definition.calendar', 'calendar', unit.calendar, (calendar) => hasCalendar(catalogue, calendar));
  requireLink('definition.parentUnit', 'unit', unit.parentUnit, (parent) => parent === id || catalogue.units.has(parent));
  refuseCycle('unit', 'definition.parentUnit', id, unit.parentUnit, (other) =>
    other === id ? unit.parentUnit : (catalogue.units.get(other)?.parentUnit ?? null),
  );
}

function checkUser(catalogue: ReferenceCatalogue, user: UserDefinition): void {
  user.memberships.forEach((membership, index) =>
    requireLink(`definition.memberships[${index}].unit`, 'unit', membership.unit, (unit) => catalogue.units.has(unit)),
  );
}

function checkCategory(catalogue: ReferenceCatalogue, id: string, category: CategoryDefinition): void {
  requireLink('definition.parent', 'category', category.parent, (parent) => parent === id || catalogue.categories.has(parent));
  refuseCycle('category', 'definition.parent', id, category.parent, (other) =>
    other === id ? category.parent : (catalogue.categories.get(other)?.parent ?? null),
  );
}

function checkPolicy(catalogue: ReferenceCatalogue, id: string, policy: SlaPolicyVersionDefinition): void {
  const { match } = policy;
  requireLink('definition.match.category', 'category', match.category, (name) => catalogue.categories.has(name));
  requireLink('definition.match.priority', 'priority', match.priority, (name) => catalogue.priorities.has(name));
  requireLink('definition.match.channel', 'channel', match.channel, (name) => catalogue.channels.has(name));
  requireLink('definition.match.customerTier', 'customerTier', match.customerTier, (name) => catalogue.customerTiers.has(name));
  requireLink('definition.calendar', 'calendar', policy.calendar, (calendar) => hasCalendar(catalogue, calendar));
  const taken = policiesInForce(catalogue).find((other) => other.id !== id && other.definition.order === policy.order);
  if (taken) throw ReferenceErrors.orderTaken(policy.order, taken.id);
}

function checkRule(catalogue: ReferenceCatalogue, id: string, rule: EscalationRuleVersionDefinition): void {
  const { match } = rule;
  requireLink('definition.match.category', 'category', match.category, (name) => catalogue.categories.has(name));
  requireLink('definition.match.priority', 'priority', match.priority, (name) => catalogue.priorities.has(name));
  requireLink('definition.match.channel', 'channel', match.channel, (name) => catalogue.channels.has(name));
  requireLink('definition.match.customerTier', 'customerTier', match.customerTier, (name) => catalogue.customerTiers.has(name));
  rule.levels.forEach((level, index) => {
    const unit = 'unit' in level.to ? level.to.unit : level.to.supervisorOf;
    const field = `definition.levels[${index}].to.${'unit' in level.to ? 'unit' : 'supervisorOf'}`;
    requireLink(field, 'unit', unit, (name) => catalogue.units.has(name));
  });
  const taken = rulesInForce(catalogue).find((other) => other.id !== id && other.definition.order === rule.order);
  if (taken) throw ReferenceErrors.orderTaken(rule.order, taken.id);
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function defineVersioned<K extends 'calendar' | 'slaPolicy' | 'escalationRule'>(
  versions: readonly Versioned<ReferenceDefinitions[K]>[],
  definition: ReferenceDefinitions[K],
): { version: number } | null {
  const last = versions[versions.length - 1];
  if (last !== undefined && !last.retired && same(last.definition, definition)) return null;
  if (last !== undefined && Date.parse(definition.effectiveFrom) < Date.parse(last.definition.effectiveFrom)) {
    throw ReferenceErrors.effectiveFromBackwards('definition.effectiveFrom', definition.effectiveFrom, last.definition.effectiveFrom);
  }
  return { version: (last?.version ?? 0) + 1 };
}

function decideDefine(catalogue: ReferenceCatalogue, command: DefineReference, context: ReferenceDecideContext): ReferenceEvent[] {
  const { at: occurredAt, by } = context;
  const id = command.id;
  switch (command.kind) {
    case 'unit': {
      const definition = validateDefinition('unit', command.definition);
      checkUnit(catalogue, id, definition);
      if (same(catalogue.units.get(id), definition)) return [];
      return [{ type: 'UnitDefined', data: { id, by, definition }, occurredAt }];
    }
    case 'user': {
      const definition = validateDefinition('user', command.definition);
      checkUser(catalogue, definition);
      if (same(catalogue.users.get(id), definition)) return [];
      return [{ type: 'UserDefined', data: { id, by, definition }, occurredAt }];
    }
    case 'category': {
      const definition = validateDefinition('category', command.definition);
      checkCategory(catalogue, id, definition);
      if (same(catalogue.categories.get(id), definition)) return [];
      return [{ type: 'CategoryDefined', data: { id, by, definition }, occurredAt }];
    }
    case 'priority': {
      const definition = validateDefinition('priority', command.definition);
      if (same(catalogue.priorities.get(id), definition)) return [];
      return [{ type: 'PriorityDefined', data: { id, by, definition }, occurredAt }];
    }
    case 'channel': {
      const definition = validateDefinition('channel', command.definition);
      if (same(catalogue.channels.get(id), definition)) return [];
      return [{ type: 'ChannelDefined', data: { id, by, definition }, occurredAt }];
    }
    case 'customerTier': {
      const definition = validateDefinition('customerTier', command.definition);
      if (same(catalogue.customerTiers.get(id), definition)) return [];
      return [{ type: 'CustomerTierDefined', data: { id, by, definition }, occurredAt }];
    }
    case 'calendar': {
      if (id === ALWAYS_OPEN_CALENDAR_ID) throw ReferenceErrors.reservedId('calendar', id);
      const definition = validateDefinition('calendar', command.definition);
      const next = defineVersioned<'calendar'>(catalogue.calendars.get(id) ?? [], definition);
      if (next === null) return [];
      return [{ type: 'CalendarDefined', data: { id, by, version: next.version, definition }, occurredAt }];
    }
    case 'slaPolicy': {
      const definition = validateDefinition('slaPolicy', command.definition);
      checkPolicy(catalogue, id, definition);
      const next = defineVersioned<'slaPolicy'>(catalogue.slaPolicies.get(id) ?? [], definition);
      if (next === null) return [];
      return [{ type: 'SlaPolicyDefined', data: { id, by, version: next.version, definition }, occurredAt }];
    }
    case 'escalationRule': {
      const definition = validateDefinition('escalationRule', command.definition);
      checkRule(catalogue, id, definition);
      const next = defineVersioned<'escalationRule'>(catalogue.escalationRules.get(id) ?? [], definition);
      if (next === null) return [];
      return [{ type: 'EscalationRuleDefined', data: { id, by, version: next.version, definition }, occurredAt }];
    }
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

/** Who still points at the entity: a retirement must not leave a dangling link in the catalogue. */
function usedBy(catalogue: ReferenceCatalogue, kind: ReferenceKind, id: string): string | null {
  const policy = (criterion: 'category' | 'priority' | 'channel' | 'customerTier') =>
    policiesInForce(catalogue).find((other) => other.definition.match[criterion] === id) ??
    rulesInForce(catalogue).find((other) => other.definition.match[criterion] === id);
  switch (kind) {
    case 'unit': {
      for (const [other, unit] of catalogue.units) if (unit.parentUnit === id && other !== id) return `unit "${other}" (parentUnit)`;
      for (const [other, user] of catalogue.users) {
        if (user.memberships.some((membership) => membership.unit === id)) return `user "${other}" (memberships)`;
      }
      for (const rule of rulesInForce(catalogue)) {
        const target = rule.definition.levels.find((level) => ('unit' in level.to ? level.to.unit : level.to.supervisorOf) === id);
        if (target) return `escalation rule "${rule.id}" (levels[${rule.definition.levels.indexOf(target)}].to)`;
      }
      return null;
    }
    case 'category': {
      for (const [other, category] of catalogue.categories)
        if (category.parent === id && other !== id) return `category "${other}" (parent)`;
      const matching = policy('category');
      return matching ? `policy "${matching.id}" (match.category)` : null;
    }
    case 'priority':
    case 'channel':
    case 'customerTier': {
      const matching = policy(kind);
      return matching ? `policy "${matching.id}" (match.${kind})` : null;
    }
    default:
      return null;
  }
}

function decideRetire(catalogue: ReferenceCatalogue, command: RetireReference, context: ReferenceDecideContext): ReferenceEvent[] {
  const { at: occurredAt, by } = context;
  const { kind, id } = command;
  if (kind === 'calendar') throw ReferenceErrors.notRetirable(kind);
  if (command.effectiveFrom !== undefined && kind !== 'slaPolicy' && kind !== 'escalationRule') {
    throw ReferenceErrors.invalid(
      'effectiveFrom',
      'only an SLA policy or escalation rule is retired from an instant; other kinds retire at once',
    );
  }
  if (kind === 'slaPolicy' || kind === 'escalationRule') {
    const versions = (kind === 'slaPolicy' ? catalogue.slaPolicies.get(id) : catalogue.escalationRules.get(id)) ?? [];
    const last = versions[versions.length - 1];
    if (last === undefined || last.retired) throw ReferenceErrors.notFound(kind, id);
    const effectiveFrom = command.effectiveFrom === undefined ? occurredAt : referenceInstant('effectiveFrom', command.effectiveFrom);
    if (Date.parse(effectiveFrom) < Date.parse(last.definition.effectiveFrom)) {
      throw ReferenceErrors.effectiveFromBackwards('effectiveFrom', effectiveFrom, last.definition.effectiveFrom);
    }
    const data = { id, by, version: last.version + 1, effectiveFrom };
    return [kind === 'slaPolicy' ? { type: 'SlaPolicyRetired', data, occurredAt } : { type: 'EscalationRuleRetired', data, occurredAt }];
  }
  if (!currentMap(catalogue, kind).has(id)) throw ReferenceErrors.notFound(kind, id);
  const user = usedBy(catalogue, kind, id);
  if (user !== null) throw ReferenceErrors.inUse(kind, id, user);
  const data = { id, by };
  switch (kind) {
    case 'unit':
      return [{ type: 'UnitRetired', data, occurredAt }];
    case 'user':
      return [{ type: 'UserRetired', data, occurredAt }];
    case 'category':
      return [{ type: 'CategoryRetired', data, occurredAt }];
    case 'priority':
      return [{ type: 'PriorityRetired', data, occurredAt }];
    case 'channel':
      return [{ type: 'ChannelRetired', data, occurredAt }];
    case 'customerTier':
      return [{ type: 'CustomerTierRetired', data, occurredAt }];
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}

export function isReferenceKind(value: unknown): value is ReferenceKind {
  return typeof value === 'string' && (REFERENCE_KINDS as readonly string[]).includes(value);
}

export function decideReference(
  catalogue: ReferenceCatalogue,
  command: ReferenceCommand,
  context: ReferenceDecideContext,
): ReferenceEvent[] | DomainError {
  try {
    if (!isReferenceKind(command.kind)) throw ReferenceErrors.invalid('kind', `must be one of ${REFERENCE_KINDS.join(', ')}`);
    if (!isReferenceId(command.id)) throw ReferenceErrors.invalidId('id', command.id);
    return command.type === 'DefineReference' ? decideDefine(catalogue, command, context) : decideRetire(catalogue, command, context);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}
