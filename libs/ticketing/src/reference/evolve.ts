import type { ReferenceCatalogue, Versioned } from './catalogue.js';
import { EMPTY_CATALOGUE } from './catalogue.js';
import type { ReferenceEvent } from './events.js';

/**
 * The catalogue after one reference event. Immutable: only the touched map is copied, so a
 * catalogue handed to a ticket command never changes under it.
 */

function withEntry<V>(map: ReadonlyMap<string, V>, id: string, value: V): ReadonlyMap<string, V> {
  const copy = new Map(map);
  copy.set(id, value);
  return copy;
}

function without<V>(map: ReadonlyMap<string, V>, id: string): ReadonlyMap<string, V> {
  if (!map.has(id)) return map;
  const copy = new Map(map);
  copy.delete(id);
  return copy;
}

function withVersion<D>(
  map: ReadonlyMap<string, readonly Versioned<D>[]>,
  version: Versioned<D>,
): ReadonlyMap<string, readonly Versioned<D>[]> {
  return withEntry(map, version.id, [...(map.get(version.id) ?? []), version]);
}

export function evolveCatalogue(catalogue: ReferenceCatalogue, event: ReferenceEvent): ReferenceCatalogue {
  switch (event.type) {
    case 'UnitDefined':
      return { ...catalogue, units: withEntry(catalogue.units, event.data.id, event.data.definition) };
    case 'UnitRetired':
      return { ...catalogue, units: without(catalogue.units, event.data.id) };
    case 'UserDefined':
      return { ...catalogue, users: withEntry(catalogue.users, event.data.id, event.data.definition) };
    case 'UserRetired':
      return { ...catalogue, users: without(catalogue.users, event.data.id) };
    case 'CategoryDefined':
      return { ...catalogue, categories: withEntry(catalogue.categories, event.data.id, event.data.definition) };
    case 'CategoryRetired':
      return { ...catalogue, categories: without(catalogue.categories, event.data.id) };
    case 'PriorityDefined':
      return { ...catalogue, priorities: withEntry(catalogue.priorities, event.data.id, event.data.definition) };
    case 'PriorityRetired':
      return { ...catalogue, priorities: without(catalogue.priorities, event.data.id) };
    case 'ChannelDefined':
      return { ...catalogue, channels: withEntry(catalogue.channels, event.data.id, event.data.definition) };
    case 'ChannelRetired':
      return { ...catalogue, channels: without(catalogue.channels, event.data.id) };
    case 'CustomerTierDefined':
      return { ...catalogue, customerTiers: withEntry(catalogue.customerTiers, event.data.id, event.data.definition) };
    case 'CustomerTierRetired':
      return { ...catalogue, customerTiers: without(catalogue.customerTiers, event.data.id) };
    case 'CalendarDefined': {
      const { id, version, definition } = event.data;
      return { ...catalogue, calendars: withVersion(catalogue.calendars, { id, version, retired: false, definition }) };
    }
    case 'SlaPolicyDefined': {
      const { id, version, definition } = event.data;
      return { ...catalogue, slaPolicies: withVersion(catalogue.slaPolicies, { id, version, retired: false, definition }) };
    }
    case 'SlaPolicyRetired': {
      const { id, version, effectiveFrom } = event.data;
      const versions = catalogue.slaPolicies.get(id) ?? [];
      const last = versions[versions.length - 1];
      // A retirement of a policy never defined carries nothing to keep; the decider never writes one.
      if (last === undefined) return catalogue;
      const retired = { id, version, retired: true, definition: { ...last.definition, effectiveFrom } };
      return { ...catalogue, slaPolicies: withVersion(catalogue.slaPolicies, retired) };
    }
    case 'EscalationRuleDefined': {
      const { id, version, definition } = event.data;
      return { ...catalogue, escalationRules: withVersion(catalogue.escalationRules, { id, version, retired: false, definition }) };
    }
    case 'EscalationRuleRetired': {
      const { id, version, effectiveFrom } = event.data;
      const versions = catalogue.escalationRules.get(id) ?? [];
      const last = versions[versions.length - 1];
      if (last === undefined) return catalogue;
      const retired = { id, version, retired: true, definition: { ...last.definition, effectiveFrom } };
      return { ...catalogue, escalationRules: withVersion(catalogue.escalationRules, retired) };
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function foldCatalogue(events: Iterable<ReferenceEvent>, from: ReferenceCatalogue = EMPTY_CATALOGUE): ReferenceCatalogue {
  let catalogue = from;
  for (const event of events) catalogue = evolveCatalogue(catalogue, event);
  return catalogue;
}
