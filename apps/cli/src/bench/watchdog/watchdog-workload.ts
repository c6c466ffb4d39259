import type { BulkAppend } from '#event-store/postgres/bulk-load.js';
import { ticketStreamId, type Phase } from '#ticketing';
import { decideTicket, type TicketStep } from '#workload/decided-ticket.js';
import { seededRandom } from '#workload';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** The built-in policy's targets (DESIGN.md §7): a ticket opens this long before the due it is meant to have. */
const CLAIM_TARGET = 30 * MIN;
const RESPONSE_TARGET = 4 * HOUR;
const USERS = ['ayse', 'burak', 'cem', 'deniz'];
const UNITS = ['front', 'billing', 'tech'];

/** The one due time of a bench ticket inside the virtual hour. */
export interface PlannedDue {
  streamId: string;
  phase: Phase;
  dueAt: number;
}

export interface WatchdogWorkload {
  dues: PlannedDue[];
  /** one append per ticket, every event at or before `start` */
  appends: BulkAppend[];
  events: number;
}

/**
 * `tickets` open tickets, each with exactly one due in [start, start + 1 h), spread evenly at
 * seeded random: tickets due in the first half hour are left in their pool (a claim due) or
 * claimed (a response due) at random, later ones are claimed (an unclaimed ticket would have to
 * open after `start`). Their other dues are outside the hour: claims were on time, responses and
 * resolutions fall due hours or days later. Every event happens at or before `start`.
 */
export function watchdogWorkload(tickets: number, seed: number, start: number): WatchdogWorkload {
  const random = seededRandom(seed);
  const dues: PlannedDue[] = [];
  const appends: BulkAppend[] = [];
  let events = 0;
  for (let n = 0; n < tickets; n++) {
    const ticketId = uuidOf(random);
    const offset = Math.floor(random() * HOUR);
    const user = USERS[Math.floor(random() * USERS.length)];
    const unitId = UNITS[Math.floor(random() * UNITS.length)];
    const pool = offset < CLAIM_TARGET && random() < 0.5;
    const opened = start + offset - (pool ? CLAIM_TARGET : RESPONSE_TARGET);
    const steps: TicketStep[] = [
      {
        at: new Date(opened).toISOString(),
        command: {
          type: 'OpenTicket',
          data: { channel: 'web', customer: `c-${n % 5000}`, category: 'billing', priority: 'normal', subject: 'bench', unitId },
        },
      },
    ];
    if (!pool) steps.push({ at: new Date(opened + 10 * MIN).toISOString(), command: { type: 'ClaimTicket', data: { userId: user } } });
    const decided = decideTicket(ticketId, steps);
    const streamId = ticketStreamId(ticketId);
    appends.push({ streamId, expectedRevision: 'no_stream', events: decided.events });
    events += decided.events.length;
    dues.push({ streamId, phase: pool ? 'claim' : 'response', dueAt: start + offset });
  }
  return { dues, appends, events };
}

/** A v4-shaped uuid from the seeded generator, so a seed gives the same tickets. */
function uuidOf(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
