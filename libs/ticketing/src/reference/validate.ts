import { defineCalendar, type CalendarDefinition } from '../business-time/calendar.js';
import { DomainError } from '../ticket/errors.js';
import type {
  CalendarVersionDefinition,
  EscalationLevel,
  EscalationRuleVersionDefinition,
  EscalationTarget,
  Membership,
  PolicyMatch,
  ReferenceDefinitions,
  ReferenceKind,
  SlaPolicyVersionDefinition,
  SlaTarget,
} from './definitions.js';
import { ReferenceErrors } from './errors.js';

/**
 * Shape checks of a definition as an admin sent it (any JSON): each field's type, no unknown
 * field, ids well formed. The answer is a fresh, normalized copy (fields in a fixed order,
 * absent optional match criteria left out), so equal definitions compare equal however they
 * were written. Links to other entities are the decider's business (they need the catalogue).
 */

/** Ids are the names tickets use; `@` is left out because `<id>@<version>` names a version. */
export const REFERENCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

export function isReferenceId(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE_ID.test(value);
}

type Json = unknown;

function record(field: string, value: Json, keys: readonly string[]): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ReferenceErrors.invalid(field, 'must be an object');
  const object = value as Record<string, Json>;
  for (const key of Object.keys(object)) {
    if (!keys.includes(key)) throw ReferenceErrors.invalid(`${field}.${key}`, `unknown field (the fields are ${keys.join(', ')})`);
  }
  return object;
}

function text(field: string, value: Json, maxLength = 200): string {
  if (typeof value !== 'string' || value.trim() === '') throw ReferenceErrors.invalid(field, 'must be a non-empty string');
  if (value.length > maxLength) throw ReferenceErrors.invalid(field, `must be at most ${maxLength} characters`);
  return value;
}

function id(field: string, value: Json): string {
  if (!isReferenceId(value)) throw ReferenceErrors.invalidId(field, value);
  return value;
}

function idOrNull(field: string, value: Json): string | null {
  return value === null ? null : id(field, value);
}

function integer(field: string, value: Json, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw ReferenceErrors.invalid(field, `must be an integer ≥ ${min}`);
  }
  return value;
}

function boolean(field: string, value: Json): boolean {
  if (typeof value !== 'boolean') throw ReferenceErrors.invalid(field, 'must be true or false');
  return value;
}

function array(field: string, value: Json): Json[] {
  if (!Array.isArray(value)) throw ReferenceErrors.invalid(field, 'must be an array');
  return value;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant with Z or an offset, normalized to UTC milliseconds as events carry instants. */
export function referenceInstant(field: string, value: Json): string {
  if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw ReferenceErrors.invalid(
      field,
      `must be an ISO-8601 instant with Z or an offset (2026-01-01T00:00:00Z), not ${JSON.stringify(value)}`,
    );
  }
  return new Date(Date.parse(value)).toISOString();
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function unit(value: Json): ReferenceDefinitions['unit'] {
  const o = record('definition', value, ['name', 'calendar', 'parentUnit', 'escalationContacts']);
  const contacts = array('definition.escalationContacts', o.escalationContacts ?? []).map((contact, index) => {
    const field = `definition.escalationContacts[${index}]`;
    if (typeof contact === 'string' && EMAIL.test(contact) && contact.length <= 254) return contact;
    return id(field, contact);
  });
  return {
    name: text('definition.name', o.name),
    calendar: idOrNull('definition.calendar', o.calendar ?? null),
    parentUnit: idOrNull('definition.parentUnit', o.parentUnit ?? null),
    escalationContacts: contacts,
  };
}

function user(value: Json): ReferenceDefinitions['user'] {
  const o = record('definition', value, ['name', 'memberships']);
  const seen = new Set<string>();
  const memberships = array('definition.memberships', o.memberships ?? []).map((entry, index): Membership => {
    const field = `definition.memberships[${index}]`;
    const m = record(field, entry, ['unit', 'supervisor']);
    const unitId = id(`${field}.unit`, m.unit);
    if (seen.has(unitId)) throw ReferenceErrors.invalid(`${field}.unit`, `"${unitId}" is listed twice; a user is a member of a unit once`);
    seen.add(unitId);
    return { unit: unitId, supervisor: boolean(`${field}.supervisor`, m.supervisor ?? false) };
  });
  return { name: text('definition.name', o.name), memberships };
}

function category(value: Json): ReferenceDefinitions['category'] {
  const o = record('definition', value, ['name', 'parent']);
  return { name: text('definition.name', o.name), parent: idOrNull('definition.parent', o.parent ?? null) };
}

function ranked(value: Json): { name: string; rank: number } {
  const o = record('definition', value, ['name', 'rank']);
  return { name: text('definition.name', o.name), rank: integer('definition.rank', o.rank, 1) };
}

function channel(value: Json): ReferenceDefinitions['channel'] {
  const o = record('definition', value, ['name']);
  return { name: text('definition.name', o.name) };
}

function calendar(value: Json): CalendarVersionDefinition {
  const o = record('definition', value, ['name', 'effectiveFrom', 'definition']);
  const name = text('definition.name', o.name);
  const effectiveFrom = referenceInstant('definition.effectiveFrom', o.effectiveFrom);
  const definition = o.definition as CalendarDefinition;
  try {
    defineCalendar(definition);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const path = typeof error.details.path === 'string' ? error.details.path : '';
    const field = path === '' ? 'definition.definition' : `definition.definition.${path}`;
    const message = error.message.startsWith(`${path}:`) ? error.message.slice(path.length + 1).trim() : error.message;
    throw new DomainError(error.code, `${field}: ${message}`, 'rule', { ...error.details, field });
  }
  record('definition.definition', definition, ['zone', 'weekly', 'overrides']);
  // A copy in a fixed key order, so a re-import compares equal however the file ordered its keys.
  const weekly: Record<string, (readonly [string, string])[]> = {};
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const) {
    const intervals = definition.weekly[day];
    if (intervals !== undefined) weekly[day] = intervals.map(([from, to]) => [from, to] as const);
  }
  const normalized: CalendarDefinition = { zone: definition.zone, weekly };
  if (definition.overrides !== undefined) {
    const overrides: Record<string, (readonly [string, string])[]> = {};
    for (const date of Object.keys(definition.overrides).sort()) {
      overrides[date] = (definition.overrides[date] ?? []).map(([from, to]) => [from, to] as const);
    }
    return { name, effectiveFrom, definition: { ...normalized, overrides } };
  }
  return { name, effectiveFrom, definition: normalized };
}

function target(field: string, value: Json): SlaTarget | null {
  if (value === null) return null;
  const o = record(field, value, ['seconds', 'time']);
  if (o.time !== 'business' && o.time !== 'calendar') throw ReferenceErrors.invalid(`${field}.time`, 'must be "business" or "calendar"');
  return { seconds: integer(`${field}.seconds`, o.seconds, 0), time: o.time };
}

function slaPolicy(value: Json): SlaPolicyVersionDefinition {
  const o = record('definition', value, ['name', 'effectiveFrom', 'order', 'match', 'targets', 'calendar', 'warnings']);
  const m = record('definition.match', o.match ?? {}, ['category', 'priority', 'channel', 'customerTier']);
  const match: PolicyMatch = {};
  for (const key of ['category', 'priority', 'channel', 'customerTier'] as const) {
    if (m[key] !== undefined) match[key] = id(`definition.match.${key}`, m[key]);
  }
  const t = record('definition.targets', o.targets, ['claim', 'response', 'resolution']);
  const warnings = o.warnings === undefined ? [] : warningThresholds('definition.warnings', o.warnings);
  const policy: SlaPolicyVersionDefinition = {
    name: text('definition.name', o.name),
    effectiveFrom: referenceInstant('definition.effectiveFrom', o.effectiveFrom),
    order: integer('definition.order', o.order, 0),
    match,
    targets: {
      claim: target('definition.targets.claim', t.claim ?? null),
      response: target('definition.targets.response', t.response ?? null),
      resolution: target('definition.targets.resolution', t.resolution ?? null),
    },
    calendar: idOrNull('definition.calendar', o.calendar ?? null),
  };
  // Left out when empty, so a policy written before warnings existed normalizes to what it stored.
  return warnings.length > 0 ? { ...policy, warnings } : policy;
}

/** Percents of a target, 1–99, strictly ascending (each threshold warns once per phase instance). */
function warningThresholds(field: string, value: Json): number[] {
  const thresholds = array(field, value).map((entry, index) => {
    if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < 1 || entry > 99) {
      throw ReferenceErrors.invalid(`${field}[${index}]`, 'must be an integer percent from 1 to 99');
    }
    return entry;
  });
  thresholds.forEach((threshold, index) => {
    if (index > 0 && threshold <= thresholds[index - 1])
      throw ReferenceErrors.invalid(`${field}[${index}]`, 'must be above the one before');
  });
  return thresholds;
}

function policyMatch(value: Json): PolicyMatch {
  const m = record('definition.match', value ?? {}, ['category', 'priority', 'channel', 'customerTier']);
  const match: PolicyMatch = {};
  for (const key of ['category', 'priority', 'channel', 'customerTier'] as const) {
    if (m[key] !== undefined) match[key] = id(`definition.match.${key}`, m[key]);
  }
  return match;
}

function escalationTarget(field: string, value: Json): EscalationTarget {
  const o = record(field, value, ['supervisorOf', 'unit']);
  if ('unit' in o && !('supervisorOf' in o)) return { unit: id(`${field}.unit`, o.unit) };
  if ('supervisorOf' in o && !('unit' in o)) return { supervisorOf: idOrNull(`${field}.supervisorOf`, o.supervisorOf) };
  throw ReferenceErrors.invalid(field, 'must be {"supervisorOf": unit id or null} or {"unit": unit id}');
}

function escalationRule(value: Json): EscalationRuleVersionDefinition {
  const o = record('definition', value, ['name', 'effectiveFrom', 'order', 'match', 'phase', 'levels']);
  if (o.phase !== 'claim' && o.phase !== 'response' && o.phase !== 'resolution') {
    throw ReferenceErrors.invalid('definition.phase', 'must be "claim", "response" or "resolution"');
  }
  const levels = array('definition.levels', o.levels).map((entry, index): EscalationLevel => {
    const field = `definition.levels[${index}]`;
    const l = record(field, entry, ['level', 'afterSeconds', 'to', 'route']);
    return {
      level: integer(`${field}.level`, l.level, 1),
      afterSeconds: integer(`${field}.afterSeconds`, l.afterSeconds, 0),
      to: escalationTarget(`${field}.to`, l.to),
      route: boolean(`${field}.route`, l.route ?? false),
    };
  });
  if (levels.length === 0) throw ReferenceErrors.invalid('definition.levels', 'must list at least one level');
  levels.forEach((level, index) => {
    const before = levels[index - 1];
    if (level.level !== index + 1)
      throw ReferenceErrors.invalid(`definition.levels[${index}].level`, `must be ${index + 1}: levels count 1, 2, …`);
    if (before !== undefined && level.afterSeconds < before.afterSeconds) {
      throw ReferenceErrors.invalid(`definition.levels[${index}].afterSeconds`, 'must not be below the level before');
    }
  });
  return {
    name: text('definition.name', o.name),
    effectiveFrom: referenceInstant('definition.effectiveFrom', o.effectiveFrom),
    order: integer('definition.order', o.order, 0),
    match: policyMatch(o.match),
    phase: o.phase,
    levels,
  };
}

const VALIDATORS: { [K in ReferenceKind]: (value: Json) => ReferenceDefinitions[K] } = {
  unit,
  user,
  category,
  priority: ranked,
  channel,
  customerTier: ranked,
  calendar,
  slaPolicy,
  escalationRule,
};

/** The definition, checked and normalized, or a REFERENCE_INVALID / CALENDAR_* error naming the field. */
export function validateDefinition<K extends ReferenceKind>(kind: K, value: Json): ReferenceDefinitions[K] {
  return VALIDATORS[kind](value);
}
