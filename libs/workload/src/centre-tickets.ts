import {
  decide,
  DomainError,
  evolve,
  initialState,
  slaCatalogueOf,
  type ReferenceContext,
  type Resolution,
  type SlaCatalogue,
  type TicketCommand,
  type TicketEvent,
  type TicketState,
} from '#ticketing';
import { AgentShifts } from './agent-shifts.js';
import { CentreClock, centreArrivals, pickCategory, type Arrival } from './centre-arrivals.js';
import { centreReferenceContext } from './centre-reference.js';
import { centreUnits, homeUnits, type CentreUnit } from './contact-centre.js';
import { minutes, pick, seededRandom, uuidFrom } from './seeded-random.js';
import { PRIORITIES, type GeneratedCommand, type GeneratedTicket } from './ticket-load.js';
import { appendsInTimeOrder, type SeedAppend, type SeedWorkload } from './ticket-seed.js';

/**
 * The simulated contact centre's tickets (cli simulate): arrivals by hour and weekday
 * (centre-arrivals.ts), Zipf-skewed categories per channel, each ticket opened in a unit that
 * takes its category, and worked only by agents on shift (agent-shifts.ts) — a claim from the
 * pool waits for an agent of the unit to be on duty, a holder's answer or close for the holder's
 * next shift — so an e-mail of Friday night waits for Monday morning and its lateness comes from
 * the model, not only from random waits. Customers survey and reopen at any hour. The life of a
 * ticket otherwise follows the uniform workload's (ticket-load.ts): the same steps and odds.
 * Every command goes through decide with the centre's reference data (centre-reference.ts), so
 * due times run in the units' calendars. Seeded: the same options give the same centre.
 */

export interface CentreOptions {
  tickets: number;
  seed: number;
  /** first instant of the span */
  start: Date;
  days: number;
}

/**
 * After waiting for a shift to start, the agent gets to the ticket within minutes (a mean):
 * the morning's pile is not all taken at 08:00:00.
 */
const SHIFT_START_MEAN_MINUTES = 15;

interface Centre {
  random: () => number;
  units: CentreUnit[];
  unitIds: string[];
  shifts: AgentShifts;
  reference: ReferenceContext;
  sla: SlaCatalogue;
}

function centreTicket(centre: Centre, ticketId: string, arrival: Arrival): { commands: GeneratedCommand[]; events: TicketEvent[] } {
  const { random, shifts } = centre;
  let state: TicketState = initialState;
  let t = arrival.at;
  const commands: GeneratedCommand[] = [];
  const events: TicketEvent[] = [];
  const apply = (command: TicketCommand): boolean => {
    const at = new Date(Math.round(t)).toISOString();
    const result = decide(state, command, { at, ticketId, reference: centre.reference, sla: centre.sla });
    if (result instanceof DomainError) return false;
    commands.push({ ticketId, at, command });
    for (const event of result) {
      state = evolve(state, event);
      events.push(event);
    }
    return true;
  };
  /** From `from`, the agent on shift at `at`: a moment after the shift starts if `at` is one, unless that is past its end. */
  const shiftStart = (agent: string, from: number, at: number) => {
    if (at === from) return at;
    const settled = at + minutes(random, SHIFT_START_MEAN_MINUTES);
    return shifts.onShift(agent, Math.round(settled)) ? settled : at;
  };
  /** `mean` minutes on, then the agent's next shift if off duty by then. */
  const laterFor = (agent: string, mean: number) => {
    t += minutes(random, mean);
    const at = Math.round(t);
    t = shiftStart(agent, at, shifts.nextShift(agent, at));
  };
  /** Customer time: any hour. */
  const later = (mean: number) => {
    t += minutes(random, mean);
  };
  const category = pickCategory(random, arrival.channel);
  let unit = pick(random, homeUnits(centre.units, category)).id;
  const onDutyAtOpening = shifts.onDuty(unit, t);
  const onCall = arrival.channel === 'phone' && onDutyAtOpening.at === t && random() < 0.4;
  apply({
    type: 'OpenTicket',
    data: {
      channel: arrival.channel,
      customer: `cust-${Math.floor(random() * 50_000)}`,
      category,
      priority: pick(random, PRIORITIES),
      subject: 'generated',
      unitId: unit,
      claimBy: onCall ? pick(random, onDutyAtOpening.agents) : null,
    },
  });
  let holder: string | null = state.exists ? state.holder : null;
  const claim = () => {
    t += minutes(random, 25);
    const from = Math.round(t);
    const { at, agent } = shifts.pickOnDuty(unit, from, random);
    t = shiftStart(agent, from, at);
    if (apply({ type: 'ClaimTicket', data: { userId: agent } })) holder = agent;
  };
  const route = () => {
    if (holder) laterFor(holder, 10);
    else later(10);
    const to = pick(
      random,
      centre.unitIds.filter((u) => u !== unit),
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
      laterFor(holder, 40);
      if (apply({ type: 'ReleaseTicket', data: { userId: holder, reason: 'handed back to the pool' } })) holder = null;
      claim();
    }
    if (holder && random() < 0.85) {
      laterFor(holder, 120);
      apply({ type: 'RespondToTicket', data: { userId: holder, solution: random() < 0.5 } });
      if (random() < 0.45) {
        laterFor(holder, 180);
        apply({ type: 'RespondToTicket', data: { userId: holder, solution: true } });
      }
    }
    if (holder && random() < 0.25) {
      laterFor(holder, 60);
      apply({ type: 'PutTicketOnHold', data: { userId: holder, reason: 'waiting for the customer' } });
      laterFor(holder, 600);
      apply({ type: 'ResumeTicket', data: { userId: holder } });
    }
    if (holder && random() < 0.35) {
      route();
      claim();
      if (holder) {
        laterFor(holder, 90);
        apply({ type: 'RespondToTicket', data: { userId: holder, solution: true } });
      }
    }
    if (random() < 0.04) {
      if (holder) laterFor(holder, 30);
      else later(30);
      apply({ type: 'EscalateTicket', data: { userId: holder, reason: 'customer insists' } });
    }
    // A few tickets stay open, like the backlog at the end of any log.
    if (!holder || random() < 0.05) break;
    laterFor(holder, 300);
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

/** The centre's tickets in the order they open. */
export function* generateCentreTickets(options: CentreOptions): Generator<GeneratedTicket> {
  const random = seededRandom(options.seed);
  const units = centreUnits();
  const reference = centreReferenceContext();
  const centre: Centre = {
    random,
    units,
    unitIds: units.map((unit) => unit.id),
    shifts: new AgentShifts(units),
    reference,
    sla: slaCatalogueOf(reference.catalogue),
  };
  // Arrivals draw from a sequence of their own, so the profile does not shift with how many draws a ticket's life takes.
  for (const arrival of centreArrivals(seededRandom(options.seed ^ 0x0a11_17a1), options, new CentreClock())) {
    const ticketId = uuidFrom(random);
    yield { ticketId, ...centreTicket(centre, ticketId, arrival) };
  }
}

/** The centre's tickets as the appends the API would have made, merged in time order and decided with the centre's reference data. */
export function* centreAppends(
  workload: SeedWorkload,
  onTicket?: (ticket: GeneratedTicket, ordinal: number) => void,
): Generator<SeedAppend> {
  const reference = centreReferenceContext();
  yield* appendsInTimeOrder(
    {
      tickets: generateCentreTickets({ tickets: workload.tickets, seed: workload.seed, start: workload.start, days: workload.days }),
      backdated: workload.backdated === true,
      reference,
      sla: slaCatalogueOf(reference.catalogue),
    },
    onTicket,
  );
}
