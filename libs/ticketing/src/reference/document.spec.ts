import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../ticket/errors.js';
import { EMPTY_CATALOGUE } from './catalogue.js';
import { planImport, toDocument, type ImportPlan, type ReferenceDocument } from './document.js';
import { foldCatalogue } from './evolve.js';

const CONTEXT = { at: '2026-03-02T09:00:00.000Z', by: 'import' };

const DOCUMENT: Partial<ReferenceDocument> = {
  // Children listed before their parents: the import orders the trees itself.
  categories: {
    'billing/refund/late': { name: 'Late refund', parent: 'billing/refund' },
    'billing/refund': { name: 'Refund', parent: 'billing' },
    billing: { name: 'Billing', parent: null },
  },
  units: {
    'front/istanbul': { name: 'Istanbul front', calendar: 'ist', parentUnit: 'front', escalationContacts: [] },
    front: { name: 'Front', calendar: null, parentUnit: null, escalationContacts: ['ops@example.com'] },
  },
  users: { deniz: { name: 'Deniz', memberships: [{ unit: 'front/istanbul', supervisor: true }] } },
  priorities: { high: { name: 'High', rank: 1 } },
  channels: { phone: { name: 'Phone' } },
  customerTiers: { gold: { name: 'Gold', rank: 1 } },
  escalationRules: {},
  calendars: {
    ist: [
      {
        name: 'Istanbul',
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        definition: { zone: 'Europe/Istanbul', weekly: { mon: [['09:00', '18:00']] } },
      },
    ],
  },
  slaPolicies: {
    'billing-high': [
      {
        name: 'Billing, high',
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        order: 1,
        match: { category: 'billing', priority: 'high' },
        targets: { claim: { seconds: 600, time: 'business' }, response: null, resolution: { seconds: 86400, time: 'calendar' } },
        calendar: 'ist',
      },
      { retired: true, effectiveFrom: '2026-02-01T00:00:00.000Z' },
    ],
  },
};

function plan(document: Partial<ReferenceDocument>, catalogue = EMPTY_CATALOGUE): ImportPlan {
  const result = planImport(catalogue, document, CONTEXT);
  if (result instanceof DomainError) throw new Error(`${result.code}: ${result.message}`);
  return result;
}

describe('planImport and toDocument', () => {
  it('imports a whole document in one pass, then exports it back as it was (a round trip)', () => {
    const first = plan(DOCUMENT);
    expect(first.events.map(({ event }) => event.type)).toEqual([
      'CalendarDefined',
      'UnitDefined',
      'UnitDefined',
      'UserDefined',
      'CategoryDefined',
      'CategoryDefined',
      'CategoryDefined',
      'PriorityDefined',
      'ChannelDefined',
      'CustomerTierDefined',
      'SlaPolicyDefined',
      'SlaPolicyRetired',
    ]);
    const catalogue = foldCatalogue(first.events.map(({ event }) => event));
    expect(toDocument(catalogue)).toEqual({ ...DOCUMENT, categories: toDocument(catalogue).categories });
    expect(Object.keys(toDocument(catalogue).categories).sort()).toEqual(['billing', 'billing/refund', 'billing/refund/late']);
  });

  it('a re-import of the export writes nothing and counts every entity and version as unchanged', () => {
    const catalogue = foldCatalogue(plan(DOCUMENT).events.map(({ event }) => event));
    const again = plan(toDocument(catalogue), catalogue);
    expect({ events: again.events.length, unchanged: again.unchanged }).toEqual({ events: 0, unchanged: 12 });
  });

  it('a changed stored version is refused with its place in the document; a new version at the end is added', () => {
    const catalogue = foldCatalogue(plan(DOCUMENT).events.map(({ event }) => event));
    const ist = DOCUMENT.calendars?.ist?.[0];
    if (ist === undefined) throw new Error('the fixture has a calendar');
    const changed = planImport(catalogue, { calendars: { ist: [{ ...ist, name: 'renamed' }] } }, CONTEXT);
    expect(changed instanceof DomainError ? [changed.code, changed.details.field] : changed).toEqual([
      'REFERENCE_INVALID',
      'calendars.ist[0]',
    ]);
    const added = plan({ calendars: { ist: [ist, { ...ist, name: 'summer', effectiveFrom: '2026-06-01T00:00:00.000Z' }] } }, catalogue);
    expect(added.events.map(({ event }) => event.type === 'CalendarDefined' && event.data.version)).toEqual([2]);
  });

  it('an error names its place in the document, and nothing is planned', () => {
    const bad = planImport(
      EMPTY_CATALOGUE,
      { ...DOCUMENT, users: { deniz: { name: 'Deniz', memberships: [{ unit: 'ghost', supervisor: false }] } } },
      CONTEXT,
    );
    expect(bad instanceof DomainError ? [bad.code, bad.details.field, bad.message] : bad).toEqual([
      'REFERENCE_UNKNOWN_LINK',
      'users.deniz.memberships[0].unit',
      'users.deniz.memberships[0].unit: there is no unit "ghost"; define it first.',
    ]);
  });
});
