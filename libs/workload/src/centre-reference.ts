import type { ReferenceDocument } from '#ticketing';
import { CATEGORIES, CHANNELS, centreStaff, PRIORITIES } from './ticket-load.js';

/**
 * The reference data of the generated centre (ticket-load.ts): its units, agents (the first of
 * each unit its supervisor and escalation contact), categories, channels and priorities, so the
 * reference tables and an API in strict mode know every name the tickets use. No calendar and no
 * SLA policy: the units work 24/7 and the tickets run on the built-in policy, as generated.
 */
export function centreReferenceDocument(unitCount?: number): Partial<ReferenceDocument> {
  const staff = centreStaff(unitCount);
  const title = (id: string) => id.charAt(0).toUpperCase() + id.slice(1).replaceAll('-', ' ');
  const priorities = [...new Set(PRIORITIES)].reverse();
  return {
    units: Object.fromEntries(
      [...staff].map(([unit, agents]) => [unit, { name: title(unit), calendar: null, parentUnit: null, escalationContacts: [agents[0]] }]),
    ),
    users: Object.fromEntries(
      [...staff].flatMap(([unit, agents]) =>
        agents.map((agent, index) => [agent, { name: title(agent), memberships: [{ unit, supervisor: index === 0 }] }]),
      ),
    ),
    categories: Object.fromEntries(CATEGORIES.map((category) => [category, { name: title(category), parent: null }])),
    // Ranked most urgent first (rank 1).
    priorities: Object.fromEntries(priorities.map((priority, index) => [priority, { name: title(priority), rank: index + 1 }])),
    channels: Object.fromEntries(CHANNELS.map((channel) => [channel, { name: title(channel) }])),
  };
}
