import type { CalendarDefinition } from '../business-time/calendar.js';
import { EMPTY_CATALOGUE, type ReferenceCatalogue, type Versioned } from '../reference/catalogue.js';
import type { CalendarVersionDefinition, PolicyMatch, SlaPolicyVersionDefinition, SlaTarget } from '../reference/definitions.js';

/** Reference data for specs, written as a catalogue directly (the reference streams' fold has its own specs). */

export const business = (hours: number): SlaTarget => ({ seconds: hours * 3600, time: 'business' });
export const calendarTime = (hours: number): SlaTarget => ({ seconds: hours * 3600, time: 'calendar' });

export function calendarVersion(
  id: string,
  version: number,
  effectiveFrom: string,
  definition: CalendarDefinition,
): Versioned<CalendarVersionDefinition> {
  return { id, version, retired: false, definition: { name: id, effectiveFrom, definition } };
}

export function policyVersion(
  id: string,
  order: number,
  match: PolicyMatch,
  targets: SlaPolicyVersionDefinition['targets'],
  options: { version?: number; effectiveFrom?: string; calendar?: string | null } = {},
): Versioned<SlaPolicyVersionDefinition> {
  return {
    id,
    version: options.version ?? 1,
    retired: false,
    definition: {
      name: id,
      effectiveFrom: options.effectiveFrom ?? '2000-01-01T00:00:00.000Z',
      order,
      match,
      targets,
      calendar: options.calendar ?? null,
    },
  };
}

/**
 * A small contact centre: units front (office calendar) and field; ayse and bob agents of front,
 * sam its supervisor, fatma an agent of field; categories complaints > billing; priorities normal
 * and urgent; channels phone and email; tier gold.
 */
export function contactCentre(
  calendars: readonly Versioned<CalendarVersionDefinition>[],
  policies: readonly (readonly Versioned<SlaPolicyVersionDefinition>[])[] = [],
): ReferenceCatalogue {
  return {
    ...EMPTY_CATALOGUE,
    units: new Map([
      ['front', { name: 'Front office', calendar: 'office', parentUnit: null, escalationContacts: ['sam'] }],
      ['field', { name: 'Field', calendar: null, parentUnit: null, escalationContacts: [] }],
    ]),
    users: new Map([
      ['ayse', { name: 'Ayşe', memberships: [{ unit: 'front', supervisor: false }] }],
      ['bob', { name: 'Bob', memberships: [{ unit: 'front', supervisor: false }] }],
      ['sam', { name: 'Sam', memberships: [{ unit: 'front', supervisor: true }] }],
      ['fatma', { name: 'Fatma', memberships: [{ unit: 'field', supervisor: false }] }],
    ]),
    categories: new Map([
      ['complaints', { name: 'Complaints', parent: null }],
      ['billing', { name: 'Billing', parent: 'complaints' }],
    ]),
    priorities: new Map([
      ['urgent', { name: 'Urgent', rank: 1 }],
      ['normal', { name: 'Normal', rank: 2 }],
    ]),
    channels: new Map([
      ['phone', { name: 'Phone' }],
      ['email', { name: 'E-mail' }],
    ]),
    customerTiers: new Map([['gold', { name: 'Gold', rank: 1 }]]),
    calendars: new Map(calendars.length > 0 ? [[calendars[0].id, calendars]] : []),
    slaPolicies: new Map(policies.map((versions) => [versions[0].id, versions])),
  };
}
