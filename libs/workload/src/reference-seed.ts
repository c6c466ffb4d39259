import { eventIdFor, uuidV5 } from '#event-store/ids/uuid-v5.js';
import type { EventToAppend } from '#event-store/port/event-store.js';
import type { BulkAppend } from '#event-store/postgres/bulk-load.js';
import { DomainError, EMPTY_CATALOGUE, encodeReferenceEvent, planImport, referenceStreamId, type ReferenceDocument } from '#ticketing';

const NAMESPACE = '3b8f6a52-0d4c-4e1f-9a77-5c2e8d1b6f90';
const DEFINED_AT = '2026-01-01T00:00:00.000Z';

/**
 * A small contact centre's reference data — one or more of every kind, a calendar with a
 * lunch break and a policy in business time — for specs and benches that need every reference
 * table (and the tickets projection's calendar versions) to have rows. The generated tickets
 * name other units, so it is meant for open mode: it fills the tables, it times no ticket.
 */
export const SEED_REFERENCE_DOCUMENT: Partial<ReferenceDocument> = {
  calendars: {
    'seed-office': [
      {
        name: 'Seed office',
        effectiveFrom: DEFINED_AT,
        definition: {
          zone: 'Europe/Istanbul',
          weekly: {
            mon: [
              ['09:00', '12:30'],
              ['13:30', '18:00'],
            ],
            tue: [['09:00', '18:00']],
          },
          overrides: { '2026-04-23': [] },
        },
      },
    ],
  },
  units: {
    'seed-centre': { name: 'Seed centre', calendar: 'seed-office', parentUnit: null, escalationContacts: ['seed-lead'] },
  },
  users: { 'seed-lead': { name: 'Seed lead', memberships: [{ unit: 'seed-centre', supervisor: true }] } },
  categories: { 'seed-root': { name: 'Seed root', parent: null }, 'seed-leaf': { name: 'Seed leaf', parent: 'seed-root' } },
  priorities: { 'seed-urgent': { name: 'Seed urgent', rank: 1 } },
  channels: { 'seed-chat': { name: 'Seed chat' } },
  customerTiers: { 'seed-gold': { name: 'Seed gold', rank: 1 } },
  slaPolicies: {
    'seed-policy': [
      {
        name: 'Seed policy',
        effectiveFrom: DEFINED_AT,
        order: 1,
        match: { category: 'seed-root' },
        targets: { claim: { seconds: 900, time: 'business' }, response: { seconds: 7200, time: 'business' }, resolution: null },
        calendar: null,
      },
    ],
  },
};

/** The seed document's events as appends, one stream per entity, decided by the same rules as an import. */
export function referenceSeedAppends(document: Partial<ReferenceDocument> = SEED_REFERENCE_DOCUMENT): BulkAppend[] {
  const plan = planImport(EMPTY_CATALOGUE, document, { at: DEFINED_AT, by: 'seed' });
  if (plan instanceof DomainError) throw new Error(`the reference seed document is refused: ${plan.code} ${plan.message}`);
  const byStream = new Map<string, BulkAppend>();
  for (const { kind, id, event } of plan.events) {
    const streamId = referenceStreamId(kind, id);
    const append = byStream.get(streamId) ?? { streamId, expectedRevision: 'no_stream', events: [] };
    const commandId = uuidV5(`${streamId}/${append.events.length}`, NAMESPACE);
    append.events.push(encodeReferenceEvent(event, eventIdFor(commandId, 0), commandId) as EventToAppend);
    byStream.set(streamId, append);
  }
  return [...byStream.values()];
}
