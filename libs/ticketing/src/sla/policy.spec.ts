import { describe, expect, it } from '@jest/globals';
import { EMPTY_CATALOGUE, type ReferenceCatalogue, type Versioned } from '../reference/catalogue.js';
import type { CalendarVersionDefinition, PolicyMatch, SlaPolicyVersionDefinition, SlaTarget } from '../reference/definitions.js';
import { OFFICE_BERLIN } from '../testing/calendars.js';
import { calendarVersionAt, categoryLine, dueOf, matchPolicy, slaCatalogueOf } from './policy.js';
import { DEFAULT_TERMS, type SlaKey } from './terms.js';

const T0 = '2025-01-01T00:00:00.000Z';
const HOUR = 3600;
const business = (hours: number): SlaTarget => ({ seconds: hours * HOUR, time: 'business' });
const calendar = (hours: number): SlaTarget => ({ seconds: hours * HOUR, time: 'calendar' });

function policy(
  order: number,
  match: PolicyMatch,
  overrides: Partial<SlaPolicyVersionDefinition> = {},
  version = 1,
  id = `p${order}`,
): Versioned<SlaPolicyVersionDefinition> {
  return {
    id,
    version,
    retired: false,
    definition: {
      name: `policy ${order}`,
      effectiveFrom: T0,
      order,
      match,
      targets: { claim: calendar(0.5), response: calendar(order), resolution: business(order * 10) },
      calendar: null,
      ...overrides,
    },
  };
}

/** Categories: complaints > billing > double-charge, complaints > delivery; requests. Units front (office calendar) and field (none). */
function catalogue(
  policies: Versioned<SlaPolicyVersionDefinition>[][],
  calendars: Versioned<CalendarVersionDefinition>[] = [],
): ReferenceCatalogue {
  return {
    ...EMPTY_CATALOGUE,
    categories: new Map([
      ['complaints', { name: 'Complaints', parent: null }],
      ['billing', { name: 'Billing', parent: 'complaints' }],
      ['double-charge', { name: 'Charged twice', parent: 'billing' }],
      ['delivery', { name: 'Delivery', parent: 'complaints' }],
      ['requests', { name: 'Requests', parent: null }],
    ]),
    units: new Map([
      ['front', { name: 'Front office', calendar: 'office', parentUnit: null, escalationContacts: [] }],
      ['field', { name: 'Field', calendar: null, parentUnit: null, escalationContacts: [] }],
    ]),
    calendars: new Map([
      [
        'office',
        calendars.length > 0
          ? calendars
          : [{ id: 'office', version: 1, retired: false, definition: { name: 'Office', effectiveFrom: T0, definition: OFFICE_BERLIN } }],
      ],
    ]),
    slaPolicies: new Map(policies.map((versions) => [versions[0].id, versions])),
  };
}

const key = (overrides: Partial<SlaKey> = {}): SlaKey => ({
  category: 'double-charge',
  priority: 'normal',
  channel: 'phone',
  customerTier: null,
  unitId: 'front',
  ...overrides,
});
const AT = '2025-06-02T08:00:00.000Z';

describe('categoryLine', () => {
  it('walks from a node up to its root', () => {
    expect(categoryLine(catalogue([]), 'double-charge')).toEqual(['double-charge', 'billing', 'complaints']);
  });

  it('an unknown category (open mode) is its own line', () => {
    expect(categoryLine(catalogue([]), 'seen-once')).toEqual(['seen-once']);
  });
});

describe('matchPolicy', () => {
  it('a policy on a category node covers its whole subtree, and nothing outside it', () => {
    const onComplaints = policy(1, { category: 'complaints' });
    const c = catalogue([[onComplaints]]);
    expect(matchPolicy(c, key({ category: 'double-charge' }), AT)?.id).toBe('p1');
    expect(matchPolicy(c, key({ category: 'delivery' }), AT)?.id).toBe('p1');
    expect(matchPolicy(c, key({ category: 'requests' }), AT)).toBeUndefined();
  });

  it('the deeper category node is more specific than its ancestor, whatever their order', () => {
    const c = catalogue([[policy(1, { category: 'complaints' })], [policy(2, { category: 'billing' })]]);
    expect(matchPolicy(c, key({ category: 'double-charge' }), AT)?.id).toBe('p2');
    expect(matchPolicy(c, key({ category: 'delivery' }), AT)?.id).toBe('p1');
  });

  it('more criteria matched is more specific than a deeper category alone', () => {
    const c = catalogue([[policy(1, { category: 'double-charge' })], [policy(2, { category: 'complaints', priority: 'urgent' })]]);
    expect(matchPolicy(c, key({ priority: 'urgent' }), AT)?.id).toBe('p2');
    expect(matchPolicy(c, key({ priority: 'normal' }), AT)?.id).toBe('p1');
  });

  it('equally specific matches are decided by the explicit order: the lower wins', () => {
    const c = catalogue([[policy(7, { priority: 'urgent' })], [policy(3, { channel: 'email' })]]);
    expect(matchPolicy(c, key({ priority: 'urgent', channel: 'email' }), AT)?.id).toBe('p3');
    const reordered = catalogue([[policy(2, { priority: 'urgent' })], [policy(3, { channel: 'email' })]]);
    expect(matchPolicy(reordered, key({ priority: 'urgent', channel: 'email' }), AT)?.id).toBe('p2');
  });

  it('matches on customer tier and channel, and a criterion set to another value excludes the policy', () => {
    const c = catalogue([[policy(1, { customerTier: 'gold' })], [policy(2, { channel: 'store' })], [policy(9, {})]]);
    expect(matchPolicy(c, key({ customerTier: 'gold' }), AT)?.id).toBe('p1');
    expect(matchPolicy(c, key({ channel: 'store' }), AT)?.id).toBe('p2');
    expect(matchPolicy(c, key({ customerTier: 'silver', channel: 'web' }), AT)?.id).toBe('p9');
    expect(matchPolicy(c, key({ customerTier: null }), AT)?.id).toBe('p9');
  });

  it('the version in force at the instant applies; before the first version the policy does not exist yet', () => {
    const v1 = policy(1, { category: 'complaints' }, { effectiveFrom: '2025-03-01T00:00:00.000Z' });
    const v2 = policy(1, { category: 'complaints' }, { effectiveFrom: '2025-07-01T00:00:00.000Z', order: 1 }, 2);
    const c = catalogue([[v1, v2]]);
    expect(matchPolicy(c, key(), '2025-02-01T00:00:00.000Z')).toBeUndefined();
    expect(matchPolicy(c, key(), '2025-06-30T23:59:59.999Z')?.version).toBe(1);
    expect(matchPolicy(c, key(), '2025-07-01T00:00:00.000Z')?.version).toBe(2);
  });

  it('a retired version matches nothing from its instant on', () => {
    const v1 = policy(1, { category: 'complaints' });
    const retired: Versioned<SlaPolicyVersionDefinition> = {
      ...policy(1, { category: 'complaints' }, { effectiveFrom: '2025-05-01T00:00:00.000Z' }, 2),
      retired: true,
    };
    const c = catalogue([[v1, retired], [policy(9, {})]]);
    expect(matchPolicy(c, key(), '2025-04-30T00:00:00.000Z')?.id).toBe('p1');
    expect(matchPolicy(c, key(), '2025-05-01T00:00:00.000Z')?.id).toBe('p9');
  });
});

describe('slaCatalogueOf(...).termsAt', () => {
  it('no policy defined: the built-in default (30 min, 4 h, 3 days of calendar time)', () => {
    expect(slaCatalogueOf(EMPTY_CATALOGUE).termsAt(key(), AT)).toEqual(DEFAULT_TERMS);
  });

  it('business targets run in the unit calendar version in force; calendar targets in 24x7', () => {
    const terms = slaCatalogueOf(catalogue([[policy(4, {})]])).termsAt(key(), AT);
    expect(terms).toEqual({
      policyId: 'p4@1',
      calendarId: 'office@1',
      claimClock: { targetSeconds: 1800, calendarId: '24x7@1' },
      responseClock: { targetSeconds: 4 * HOUR, calendarId: '24x7@1' },
      resolutionClock: { targetSeconds: 40 * HOUR, calendarId: 'office@1' },
    });
  });

  it('a policy’s breach warnings are recorded with each of its clocks; the built-in policy warns at 75% and 90%', () => {
    const terms = slaCatalogueOf(catalogue([[policy(4, {}, { warnings: [50, 80] })]])).termsAt(key(), AT);
    expect([terms.claimClock?.warnings, terms.responseClock?.warnings, terms.resolutionClock?.warnings]).toEqual([
      [50, 80],
      [50, 80],
      [50, 80],
    ]);
    expect(DEFAULT_TERMS.responseClock?.warnings).toEqual([75, 90]);
  });

  it('the policy calendar overrides the unit one; a unit without a calendar runs business targets in 24/7', () => {
    const withCalendar = slaCatalogueOf(catalogue([[policy(4, {}, { calendar: 'office' })]]));
    expect(withCalendar.termsAt(key({ unitId: 'field' }), AT).resolutionClock?.calendarId).toBe('office@1');
    const unitDefault = slaCatalogueOf(catalogue([[policy(4, {})]]));
    expect(unitDefault.termsAt(key({ unitId: 'field' }), AT).resolutionClock?.calendarId).toBe('24x7@1');
  });

  it('two clock starts of one ticket on either side of a policy version change take each its version', () => {
    const v1 = policy(1, {}, { targets: { claim: calendar(0.5), response: calendar(4), resolution: calendar(72) } });
    const v2 = policy(
      1,
      {},
      { effectiveFrom: '2025-06-02T12:00:00.000Z', targets: { claim: calendar(0.25), response: null, resolution: null } },
      2,
    );
    const sla = slaCatalogueOf(catalogue([[v1, v2]]));
    const opened = sla.termsAt(key(), '2025-06-02T11:59:59.999Z');
    const routed = sla.termsAt(key({ unitId: 'field' }), '2025-06-02T12:00:00.000Z');
    expect([opened.policyId, opened.claimClock?.targetSeconds]).toEqual(['p1@1', 1800]);
    expect([routed.policyId, routed.claimClock?.targetSeconds, routed.responseClock]).toEqual(['p1@2', 900, null]);
  });

  it('a calendar version change between two clock starts: each clock records the version in force when it started', () => {
    const office1: Versioned<CalendarVersionDefinition> = {
      id: 'office',
      version: 1,
      retired: false,
      definition: { name: 'Office', effectiveFrom: T0, definition: OFFICE_BERLIN },
    };
    const office2: Versioned<CalendarVersionDefinition> = {
      id: 'office',
      version: 2,
      retired: false,
      definition: {
        name: 'Office, longer days',
        effectiveFrom: '2025-06-02T12:00:00.000Z',
        definition: { zone: 'Europe/Berlin', weekly: { mon: [['08:00', '18:00']], tue: [['08:00', '18:00']] } },
      },
    };
    const c = catalogue([[policy(1, {})]], [office1, office2]);
    expect(calendarVersionAt(c, 'office', '2025-06-02T11:59:59.999Z')).toBe('office@1');
    expect(calendarVersionAt(c, 'office', '2025-06-02T12:00:00.000Z')).toBe('office@2');
    const sla = slaCatalogueOf(c);
    // Resolution target of policy 1: 10 business hours. Opened Monday 2 June 09:00 Berlin (07:00Z) under v1 (09–12, 13–17 = 7 h a
    // day): Monday 7 h + Tuesday 09:00–12:00 3 h = 10 h, run out at the lunch break → due at its end, Tuesday 13:00 Berlin (11:00Z).
    const before = sla.termsAt(key(), '2025-06-02T07:00:00.000Z');
    expect(before.resolutionClock).toEqual({ targetSeconds: 10 * HOUR, calendarId: 'office@1' });
    expect(dueOf(sla, before.resolutionClock, '2025-06-02T07:00:00.000Z')).toBe('2025-06-03T11:00:00.000Z');
    // Reopened Monday 14:00 Berlin (12:00Z) under v2 (08–18): Monday 4 h + Tuesday 08:00–14:00 6 h → due Tuesday 14:00 Berlin (12:00Z).
    const after = sla.termsAt(key(), '2025-06-02T12:00:00.000Z');
    expect(after.resolutionClock).toEqual({ targetSeconds: 10 * HOUR, calendarId: 'office@2' });
    expect(dueOf(sla, after.resolutionClock, '2025-06-02T12:00:00.000Z')).toBe('2025-06-03T12:00:00.000Z');
  });

  it('an unknown calendar version id is refused: CALENDAR_UNKNOWN', () => {
    expect(() => slaCatalogueOf(EMPTY_CATALOGUE).calendar('office@7')).toThrow(expect.objectContaining({ code: 'CALENDAR_UNKNOWN' }));
  });
});
