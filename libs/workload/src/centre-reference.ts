import { DomainError, EMPTY_CATALOGUE, planImport, type ReferenceContext, type ReferenceDocument, type SlaTarget } from '#ticketing';
import { CENTRE_EFFECTIVE_FROM, centreUnits, OFFICE_CALENDAR_ID, officeCalendar } from './contact-centre.js';
import { CATEGORIES, CHANNELS, PRIORITIES } from './ticket-load.js';

/**
 * The reference data of the simulated centre (contact-centre.ts): its calendar (weekdays
 * 08:00–18:00 in Istanbul, closed on holidays), units (01–04 on 24/7, the others on the office
 * calendar), agents (the first of each unit its supervisor and escalation contact), categories,
 * channels, priorities, and two SLA policies in business time — so a ticket's due times run in
 * its unit's calendar: a claim due 30 working minutes after an e-mail of Friday night falls on
 * Monday 08:30 in an office unit, and 30 minutes later in a 24/7 one.
 */
export function centreReferenceDocument(): Partial<ReferenceDocument> {
  const units = centreUnits();
  const title = (id: string) => id.charAt(0).toUpperCase() + id.slice(1).replaceAll('-', ' ');
  const priorities = [...new Set(PRIORITIES)].reverse();
  const business = (seconds: number): SlaTarget => ({ seconds, time: 'business' });
  return {
    calendars: {
      [OFFICE_CALENDAR_ID]: [{ name: 'Centre office hours', effectiveFrom: CENTRE_EFFECTIVE_FROM, definition: officeCalendar() }],
    },
    units: Object.fromEntries(
      units.map((unit) => [
        unit.id,
        { name: title(unit.id), calendar: unit.calendar, parentUnit: null, escalationContacts: [unit.agents[0].id] },
      ]),
    ),
    users: Object.fromEntries(
      units.flatMap((unit) =>
        unit.agents.map((agent, index) => [agent.id, { name: title(agent.id), memberships: [{ unit: unit.id, supervisor: index === 0 }] }]),
      ),
    ),
    categories: Object.fromEntries(CATEGORIES.map((category) => [category, { name: title(category), parent: null }])),
    // Ranked most urgent first (rank 1).
    priorities: Object.fromEntries(priorities.map((priority, index) => [priority, { name: title(priority), rank: index + 1 }])),
    channels: Object.fromEntries(CHANNELS.map((channel) => [channel, { name: title(channel) }])),
    slaPolicies: {
      'centre-standard': [
        {
          name: 'Centre standard',
          effectiveFrom: CENTRE_EFFECTIVE_FROM,
          order: 10,
          match: {},
          // Three office days to resolve: 30 working hours.
          targets: { claim: business(30 * 60), response: business(4 * 3600), resolution: business(30 * 3600) },
          calendar: null,
          warnings: [75, 90],
        },
      ],
      'centre-urgent': [
        {
          name: 'Centre urgent',
          effectiveFrom: CENTRE_EFFECTIVE_FROM,
          order: 5,
          match: { priority: 'urgent' },
          targets: { claim: business(15 * 60), response: business(3600), resolution: business(10 * 3600) },
          calendar: null,
          warnings: [75, 90],
        },
      ],
    },
  };
}

/** The centre's reference data as decide sees it (strict: every name the tickets use must be defined). */
export function centreReferenceContext(): ReferenceContext {
  const plan = planImport(EMPTY_CATALOGUE, centreReferenceDocument(), { at: CENTRE_EFFECTIVE_FROM, by: 'simulate' });
  if (plan instanceof DomainError) throw new Error(`the centre's reference data is refused: ${plan.code} ${plan.message}`);
  return { catalogue: plan.catalogue, mode: 'strict' };
}
