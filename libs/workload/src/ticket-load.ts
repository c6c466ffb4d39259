import { randomUUID } from 'node:crypto';
import {
  decide,
  DomainError,
  evolve,
  initialState,
  type Resolution,
  type TicketCommand,
  type TicketEvent,
  type TicketState,
} from '#ticketing';
import { minutes, pick, seededRandom, uuidFrom } from './seeded-random.js';

/**
 * A generated ticket workload whose event mix resembles the BPI Challenge 2013 incident log
 * (Volvo IT, 7,554 cases, 65,533 events: about 9 events per ticket, with routes between
 * teams, releases back to the pool, waits (holds) and reopenings). Every command goes
 * through `decide`, so the streams are valid by construction. Seeded: the same seed gives the
 * same workload.
 */

export interface LoadOptions {
  tickets: number;
  seed: number;
  /** first opening; tickets open over `spreadDays` */
  start: Date;
  spreadDays: number;
  units?: number;
}

export interface GeneratedCommand {
  ticketId: string;
  at: string;
  command: TicketCommand;
}

export { seededRandom } from './seeded-random.js';

/** The generated centre's categories (picked uniformly), channels, and priorities (normal three times as often as each other). */
export const CATEGORIES = [
  'wrong-invoice',
  'delivery',
  'refund',
  'technical',
  'info-request',
  'complaint',
  'contract',
  'outage',
  'billing-address',
  'cancellation',
];
export const CHANNELS = ['phone', 'email', 'web', 'store', 'sms'];
export const PRIORITIES = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'];

/** One ticket's life as commands, applied through decide/evolve; returns its commands and events. */
function simulateTicket(
  random: () => number,
  ticketId: string,
  openedAt: number,
  units: string[],
  users: Map<string, string[]>,
): { commands: GeneratedCommand[]; events: TicketEvent[] } {
  let state: TicketState = initialState;
  let t = openedAt;
  const commands: GeneratedCommand[] = [];
  const events: TicketEvent[] = [];
  const apply = (command: TicketCommand): boolean => {
    const at = new Date(Math.round(t)).toISOString();
    const result = decide(state, command, { at, ticketId });
    if (result instanceof DomainError) return false;
    commands.push({ ticketId, at, command });
    for (const event of result) {
      state = evolve(state, event);
      events.push(event);
    }
    return true;
  };
  const later = (mean: number) => {
    t += minutes(random, mean);
  };
  const userOf = (unit: string) => pick(random, users.get(unit) ?? ['agent']);
  let unit = pick(random, units);
  const channel = pick(random, CHANNELS);
  const onCall = channel === 'phone' && random() < 0.4;
  apply({
    type: 'OpenTicket',
    data: {
      channel,
      customer: `cust-${Math.floor(random() * 50_000)}`,
      category: pick(random, CATEGORIES),
      priority: pick(random, PRIORITIES),
      subject: 'generated',
      unitId: unit,
      claimBy: onCall ? userOf(unit) : null,
    },
  });
  let holder: string | null = state.exists ? state.holder : null;
  const claim = () => {
    later(25);
    const user = userOf(unit);
    if (apply({ type: 'ClaimTicket', data: { userId: user } })) holder = user;
  };
  const route = () => {
    later(10);
    const to = pick(
      random,
      units.filter((u) => u !== unit),
    );
    if (apply({ type: 'RouteTicket', data: { toUnitId: to, reason: 'wrong team', userId: holder } })) {
      unit = to;
      holder = null;
    }
  };
  let cycles = 0;
  do {
    cycles += 1;
    if (holder === null && random() < 0.5) route();
    if (holder === null) claim();
    if (random() < 0.3 && holder) {
      later(40);
      if (apply({ type: 'ReleaseTicket', data: { userId: holder, reason: 'shift end' } })) holder = null;
      claim();
    }
    if (holder && random() < 0.85) {
      later(120);
      apply({ type: 'RespondToTicket', data: { userId: holder, solution: random() < 0.5 } });
      if (random() < 0.45) {
        later(180);
        apply({ type: 'RespondToTicket', data: { userId: holder, solution: true } });
      }
    }
    if (holder && random() < 0.25) {
      later(60);
      apply({ type: 'PutTicketOnHold', data: { userId: holder, reason: 'waiting for the customer' } });
      later(600);
      apply({ type: 'ResumeTicket', data: { userId: holder } });
    }
    if (holder && random() < 0.35) {
      route();
      claim();
      if (holder) {
        later(90);
        apply({ type: 'RespondToTicket', data: { userId: holder, solution: true } });
      }
    }
    if (random() < 0.04) {
      later(30);
      apply({ type: 'EscalateTicket', data: { userId: holder, reason: 'customer insists' } });
    }
    // A few tickets stay open, like the backlog at the end of any log.
    if (!holder || random() < 0.05) break;
    later(300);
    const resolution: Resolution = random() < 0.9 ? 'resolved' : pick(random, ['not_resolved', 'duplicate', 'cancelled'] as const);
    if (apply({ type: 'CloseTicket', data: { userId: holder, resolution, requestMet: random() < 0.8 } })) holder = null;
    if (random() < 0.3) {
      later(240);
      apply({
        type: 'SurveyTicket',
        data: { score: 1 + Math.floor(random() * 5), resolved: random() < 0.85, resolvedOnFirstContact: random() < 0.6, channel: 'sms' },
      });
    }
    if (random() < 0.08 && cycles < 3) {
      later(1440);
      apply({ type: 'ReopenTicket', data: { userId: null, reason: 'customer called back' } });
    } else break;
  } while (cycles < 3);
  return { commands, events };
}

export interface GeneratedTicket {
  ticketId: string;
  commands: GeneratedCommand[];
  events: TicketEvent[];
}

/** The generated centre's units (default 24) and each one's 12 agents, as the tickets name them. */
export function centreStaff(unitCount = 24): Map<string, string[]> {
  const units = Array.from({ length: unitCount }, (_, i) => `unit-${String(i + 1).padStart(2, '0')}`);
  return new Map(units.map((u) => [u, Array.from({ length: 12 }, (_, i) => `${u}-agent-${i + 1}`)]));
}

export function* generateTickets(options: LoadOptions): Generator<GeneratedTicket> {
  const random = seededRandom(options.seed);
  const users = centreStaff(options.units);
  const units = [...users.keys()];
  const spanMs = options.spreadDays * 24 * 60 * 60 * 1000;
  for (let i = 0; i < options.tickets; i++) {
    const ticketId = uuidFrom(random);
    const openedAt = options.start.getTime() + (spanMs * i) / Math.max(1, options.tickets) + random() * 60_000;
    yield { ticketId, ...simulateTicket(random, ticketId, openedAt, units, users) };
  }
}

/** A random id for runs that must not collide with an earlier seed's tickets. */
export function freshSeed(): number {
  return Number.parseInt(randomUUID().slice(0, 8), 16);
}
