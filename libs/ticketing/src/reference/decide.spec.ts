import { describe, expect, it } from '@jest/globals';
import { DomainError, type DomainErrorCode } from '../ticket/errors.js';
import { EMPTY_CATALOGUE } from './catalogue.js';
import type { ReferenceCommand } from './commands.js';
import { decideReference } from './decide.js';
import type { ReferenceEvent } from './events.js';
import { foldCatalogue } from './evolve.js';

const AT = '2026-03-02T09:00:00.000Z';
const BY = 'admin-tool';

/** Given past reference events, when a command is decided, then exactly these events or this code (and field). */
function given(...history: ReferenceEvent[]) {
  const catalogue = foldCatalogue(history);
  return {
    when(command: ReferenceCommand) {
      const result = decideReference(catalogue, command, { at: AT, by: BY });
      return {
        then(...expected: ReferenceEvent[]) {
          if (result instanceof DomainError) throw new Error(`expected events, got ${result.code}: ${result.message}`);
          expect(result).toEqual(expected);
          expect(() => foldCatalogue(result, catalogue)).not.toThrow();
        },
        thenRejects(code: DomainErrorCode, field?: string) {
          if (!(result instanceof DomainError)) throw new Error(`expected ${code}, got ${JSON.stringify(result)}`);
          expect({ code: result.code, field: field === undefined ? undefined : result.details.field }).toEqual({ code, field });
        },
      };
    },
  };
}

const define = (kind: ReferenceCommand['kind'], id: string, definition: unknown): ReferenceCommand =>
  ({ type: 'DefineReference', kind, id, definition }) as ReferenceCommand;
const retire = (kind: ReferenceCommand['kind'], id: string, effectiveFrom?: string): ReferenceCommand => ({
  type: 'RetireReference',
  kind,
  id,
  ...(effectiveFrom === undefined ? {} : { effectiveFrom }),
});

const WEEKDAYS = {
  mon: [
    ['09:00', '12:00'],
    ['13:00', '18:00'],
  ] as Array<[string, string]>,
  fri: [['09:00', '17:00']] as Array<[string, string]>,
};
const istanbul = {
  name: 'Istanbul office',
  effectiveFrom: '2026-01-01T00:00:00Z',
  definition: { zone: 'Europe/Istanbul', weekly: WEEKDAYS },
};
const unit = (calendar: string | null = null, parentUnit: string | null = null) => ({
  name: 'Front office',
  calendar,
  parentUnit,
  escalationContacts: ['lead@example.com'],
});
const policy = (order: number, match: Record<string, string> = {}) => ({
  name: `policy ${order}`,
  effectiveFrom: '2026-01-01T00:00:00.000Z',
  order,
  match,
  targets: {
    claim: { seconds: 1800, time: 'calendar' as const },
    response: { seconds: 14400, time: 'business' as const },
    resolution: null,
  },
  calendar: null,
});

const calendarDefined = (version: number, definition = istanbul): ReferenceEvent =>
  ({
    type: 'CalendarDefined',
    data: { id: 'ist', by: BY, version, definition: { ...definition, effectiveFrom: new Date(definition.effectiveFrom).toISOString() } },
    occurredAt: AT,
  }) as ReferenceEvent;
const unitDefined = (id: string, definition = unit()): ReferenceEvent => ({
  type: 'UnitDefined',
  data: { id, by: BY, definition },
  occurredAt: AT,
});
const categoryDefined = (id: string, parent: string | null): ReferenceEvent => ({
  type: 'CategoryDefined',
  data: { id, by: BY, definition: { name: id, parent } },
  occurredAt: AT,
});
const policyDefined = (id: string, version: number, order: number, match: Record<string, string> = {}): ReferenceEvent =>
  ({ type: 'SlaPolicyDefined', data: { id, by: BY, version, definition: policy(order, match) }, occurredAt: AT }) as ReferenceEvent;

describe('DefineReference', () => {
  it('defines a unit on a calendar: one UnitDefined with the whole definition, who and when', () => {
    given(calendarDefined(1))
      .when(define('unit', 'front', unit('ist')))
      .then(unitDefined('front', unit('ist')));
  });

  it('defining an entity exactly as it stands writes nothing (a re-import is a no-op), whatever the key order', () => {
    const reordered = { escalationContacts: ['lead@example.com'], parentUnit: null, calendar: null, name: 'Front office' };
    given(unitDefined('front'))
      .when(define('unit', 'front', reordered))
      .then();
  });

  it('a changed definition is written whole', () => {
    given(unitDefined('front'))
      .when(define('unit', 'front', { ...unit(), name: 'Front desk' }))
      .then(unitDefined('front', { ...unit(), name: 'Front desk' }));
  });

  it('refuses a unit whose calendar does not exist, naming the field', () => {
    given()
      .when(define('unit', 'front', unit('nowhere')))
      .thenRejects('REFERENCE_UNKNOWN_LINK', 'definition.calendar');
  });

  it('accepts the built-in 24x7 calendar by id', () => {
    given()
      .when(define('unit', 'front', unit('24x7')))
      .then(unitDefined('front', unit('24x7')));
  });

  it('refuses a parent unit that would close a cycle', () => {
    given(unitDefined('a'), unitDefined('b', unit(null, 'a')))
      .when(define('unit', 'a', unit(null, 'b')))
      .thenRejects('REFERENCE_CYCLE', 'definition.parentUnit');
  });

  it('refuses a membership in an unknown unit with the membership index in the path', () => {
    given(unitDefined('front'))
      .when(
        define('user', 'deniz', {
          name: 'Deniz',
          memberships: [
            { unit: 'front', supervisor: true },
            { unit: 'ghost', supervisor: false },
          ],
        }),
      )
      .thenRejects('REFERENCE_UNKNOWN_LINK', 'definition.memberships[1].unit');
  });

  it('refuses a wrongly typed field with its path', () => {
    given(unitDefined('front'))
      .when(define('user', 'deniz', { name: 'Deniz', memberships: [{ unit: 'front', supervisor: 'yes' }] }))
      .thenRejects('REFERENCE_INVALID', 'definition.memberships[0].supervisor');
  });

  it('refuses an unknown field', () => {
    given()
      .when(define('priority', 'high', { name: 'High', rank: 1, colour: 'red' }))
      .thenRejects('REFERENCE_INVALID', 'definition.colour');
  });

  it('refuses an id with a space or an @ (the version separator)', () => {
    given()
      .when(define('channel', 'web chat', { name: 'Web chat' }))
      .thenRejects('REFERENCE_INVALID_ID', 'id');
    given()
      .when(define('channel', 'web@2', { name: 'Web' }))
      .thenRejects('REFERENCE_INVALID_ID', 'id');
  });

  it('refuses a category whose parent is unknown, and a category cycle', () => {
    given()
      .when(define('category', 'refund', { name: 'Refund', parent: 'billing' }))
      .thenRejects('REFERENCE_UNKNOWN_LINK', 'definition.parent');
    given(categoryDefined('billing', null), categoryDefined('refund', 'billing'))
      .when(define('category', 'billing', { name: 'Billing', parent: 'refund' }))
      .thenRejects('REFERENCE_CYCLE', 'definition.parent');
  });

  it('a calendar gets version 1, then the next version; the same definition again writes nothing', () => {
    given()
      .when(define('calendar', 'ist', istanbul))
      .then(calendarDefined(1));
    const berlinHours = { ...istanbul, effectiveFrom: '2026-06-01T00:00:00Z', definition: { zone: 'Europe/Berlin', weekly: WEEKDAYS } };
    given(calendarDefined(1))
      .when(define('calendar', 'ist', berlinHours))
      .then(calendarDefined(2, berlinHours));
    given(calendarDefined(1))
      .when(define('calendar', 'ist', istanbul))
      .then();
  });

  it('validates a calendar through defineCalendar, the path under definition.definition', () => {
    const overlapping = {
      ...istanbul,
      definition: {
        zone: 'Europe/Istanbul',
        weekly: {
          mon: [
            ['09:00', '12:00'],
            ['11:00', '13:00'],
          ],
        },
      },
    };
    given()
      .when(define('calendar', 'ist', overlapping))
      .thenRejects('CALENDAR_OVERLAPPING_INTERVALS', 'definition.definition.weekly.mon');
    const badZone = { ...istanbul, definition: { zone: 'Mars/Olympus', weekly: WEEKDAYS } };
    given()
      .when(define('calendar', 'ist', badZone))
      .thenRejects('CALENDAR_INVALID_ZONE', 'definition.definition.zone');
  });

  it('reserves the 24x7 calendar id', () => {
    given()
      .when(define('calendar', '24x7', istanbul))
      .thenRejects('REFERENCE_RESERVED_ID', 'id');
  });

  it('refuses an effectiveFrom that is not an ISO instant, and one before the previous version', () => {
    given()
      .when(define('calendar', 'ist', { ...istanbul, effectiveFrom: '2026-01-01' }))
      .thenRejects('REFERENCE_INVALID', 'definition.effectiveFrom');
    given(calendarDefined(1))
      .when(define('calendar', 'ist', { ...istanbul, name: 'older', effectiveFrom: '2025-01-01T00:00:00Z' }))
      .thenRejects('REFERENCE_EFFECTIVE_FROM_BACKWARDS', 'definition.effectiveFrom');
  });

  it('refuses a policy matching a name that is not defined', () => {
    given()
      .when(define('slaPolicy', 'p', policy(1, { priority: 'urgent' })))
      .thenRejects('REFERENCE_UNKNOWN_LINK', 'definition.match.priority');
  });

  it('refuses a policy order already taken by another policy in force, and frees it once that one is retired', () => {
    given(policyDefined('a', 1, 5))
      .when(define('slaPolicy', 'b', policy(5)))
      .thenRejects('REFERENCE_ORDER_TAKEN', 'definition.order');
    const retired: ReferenceEvent = {
      type: 'SlaPolicyRetired',
      data: { id: 'a', by: BY, version: 2, effectiveFrom: AT },
      occurredAt: AT,
    };
    given(policyDefined('a', 1, 5), retired)
      .when(define('slaPolicy', 'b', policy(5)))
      .then({
        type: 'SlaPolicyDefined',
        data: { id: 'b', by: BY, version: 1, definition: policy(5) },
        occurredAt: AT,
      });
  });

  it('keeps a policy’s breach warnings; refuses thresholds outside 1–99, not integers, or not ascending, naming the entry', () => {
    given()
      .when(define('slaPolicy', 'p', { ...policy(1), warnings: [50, 80, 95] }))
      .then({
        type: 'SlaPolicyDefined',
        data: { id: 'p', by: BY, version: 1, definition: { ...policy(1), warnings: [50, 80, 95] } },
        occurredAt: AT,
      });
    given()
      .when(define('slaPolicy', 'p', { ...policy(1), warnings: [0] }))
      .thenRejects('REFERENCE_INVALID', 'definition.warnings[0]');
    given()
      .when(define('slaPolicy', 'p', { ...policy(1), warnings: [50, 100] }))
      .thenRejects('REFERENCE_INVALID', 'definition.warnings[1]');
    given()
      .when(define('slaPolicy', 'p', { ...policy(1), warnings: [75.5] }))
      .thenRejects('REFERENCE_INVALID', 'definition.warnings[0]');
    given()
      .when(define('slaPolicy', 'p', { ...policy(1), warnings: [90, 75] }))
      .thenRejects('REFERENCE_INVALID', 'definition.warnings[1]');
  });

  it('an empty warnings list normalizes away: re-defining the stored policy with it writes nothing', () => {
    given(policyDefined('p', 1, 1))
      .when(define('slaPolicy', 'p', { ...policy(1), warnings: [] }))
      .then();
  });

  it('defines an escalation rule version; refuses an unknown target unit, levels that do not count 1, 2, …, and a taken order', () => {
    const rule = (levels: unknown[], order = 1) => ({
      name: 'late responses',
      effectiveFrom: '2026-01-01T00:00:00.000Z',
      order,
      match: {},
      phase: 'response',
      levels,
    });
    const level1 = { level: 1, afterSeconds: 0, to: { supervisorOf: null }, route: false };
    given()
      .when(define('escalationRule', 'late', rule([level1])))
      .then({
        type: 'EscalationRuleDefined',
        data: { id: 'late', by: BY, version: 1, definition: rule([level1]) },
        occurredAt: AT,
      } as ReferenceEvent);
    given()
      .when(define('escalationRule', 'late', rule([{ ...level1, to: { unit: 'nowhere' } }])))
      .thenRejects('REFERENCE_UNKNOWN_LINK', 'definition.levels[0].to.unit');
    given()
      .when(define('escalationRule', 'late', rule([level1, { ...level1, level: 3 }])))
      .thenRejects('REFERENCE_INVALID', 'definition.levels[1].level');
    given()
      .when(define('escalationRule', 'late', rule([{ ...level1, to: { supervisorOf: null, unit: 'x' } }])))
      .thenRejects('REFERENCE_INVALID', 'definition.levels[0].to');
    const first: ReferenceEvent = {
      type: 'EscalationRuleDefined',
      data: { id: 'a', by: BY, version: 1, definition: rule([level1]) },
      occurredAt: AT,
    } as ReferenceEvent;
    given(first)
      .when(define('escalationRule', 'b', rule([level1])))
      .thenRejects('REFERENCE_ORDER_TAKEN', 'definition.order');
  });
});

describe('RetireReference', () => {
  it('retires a unit nobody points at', () => {
    given(unitDefined('front'))
      .when(retire('unit', 'front'))
      .then({ type: 'UnitRetired', data: { id: 'front', by: BY }, occurredAt: AT });
  });

  it('refuses to retire a unit a user is a member of, or one unknown', () => {
    const member: ReferenceEvent = {
      type: 'UserDefined',
      data: { id: 'deniz', by: BY, definition: { name: 'Deniz', memberships: [{ unit: 'front', supervisor: false }] } },
      occurredAt: AT,
    };
    given(unitDefined('front'), member).when(retire('unit', 'front')).thenRejects('REFERENCE_IN_USE');
    given().when(retire('unit', 'front')).thenRejects('REFERENCE_NOT_FOUND');
  });

  it('retires a policy from an instant as its next version; never a calendar', () => {
    given(policyDefined('p', 1, 1))
      .when(retire('slaPolicy', 'p', '2026-04-01T00:00:00Z'))
      .then({ type: 'SlaPolicyRetired', data: { id: 'p', by: BY, version: 2, effectiveFrom: '2026-04-01T00:00:00.000Z' }, occurredAt: AT });
    given(calendarDefined(1)).when(retire('calendar', 'ist')).thenRejects('REFERENCE_NOT_RETIRABLE');
  });
});

describe('foldCatalogue', () => {
  it('keeps calendar versions, drops retired entities and marks a policy retirement as a version', () => {
    const catalogue = foldCatalogue([
      calendarDefined(1),
      unitDefined('front'),
      { type: 'UnitRetired', data: { id: 'front', by: BY }, occurredAt: AT },
      policyDefined('p', 1, 1),
      { type: 'SlaPolicyRetired', data: { id: 'p', by: BY, version: 2, effectiveFrom: '2026-04-01T00:00:00.000Z' }, occurredAt: AT },
    ]);
    expect(catalogue.units.size).toBe(0);
    expect(catalogue.calendars.get('ist')?.map((version) => version.version)).toEqual([1]);
    expect(catalogue.slaPolicies.get('p')?.map((version) => [version.version, version.retired, version.definition.effectiveFrom])).toEqual([
      [1, false, '2026-01-01T00:00:00.000Z'],
      [2, true, '2026-04-01T00:00:00.000Z'],
    ]);
  });

  it('never changes the catalogue it starts from', () => {
    const before = foldCatalogue([unitDefined('front')]);
    foldCatalogue([unitDefined('back')], before);
    expect([...before.units.keys()]).toEqual(['front']);
    expect(EMPTY_CATALOGUE.units.size).toBe(0);
  });
});
