import { describe, expect, it } from '@jest/globals';
import { type TicketEvent } from '#ticketing';
import { AgentShifts } from './agent-shifts.js';
import { CentreClock } from './centre-arrivals.js';
import { centreAppends, generateCentreTickets } from './centre-tickets.js';
import { centreUnits, ROUND_THE_CLOCK_UNITS } from './contact-centre.js';
import type { GeneratedTicket } from './ticket-load.js';

const SEED = 7;
const OPTIONS = { tickets: 3_000, seed: SEED, start: new Date('2026-01-01T00:00:00Z'), days: 28 };
const units = centreUnits();
const shifts = new AgentShifts(units);
const officeUnits = new Set(units.slice(ROUND_THE_CLOCK_UNITS).map((unit) => unit.id));

/** Events an agent does, with the agent: what must happen on the agent's shift. */
function agentActs(event: TicketEvent): string | null {
  switch (event.type) {
    case 'TicketClaimed':
    case 'TicketResponded':
    case 'TicketPutOnHold':
    case 'TicketResumed':
    case 'TicketReleased':
      return event.data.userId;
    case 'TicketClosed':
    case 'TicketRouted':
      return event.data.userId;
    default:
      return null;
  }
}

describe('the simulated centre’s tickets', () => {
  console.log(`centre tickets: seed ${SEED}, ${OPTIONS.tickets} tickets over ${OPTIONS.days} days from ${OPTIONS.start.toISOString()}`);
  const tickets: GeneratedTicket[] = [...generateCentreTickets(OPTIONS)];
  const events = tickets.flatMap((ticket) => ticket.events);

  it('given a seed, then the same tickets again; another seed, others', () => {
    const small = { ...OPTIONS, tickets: 200, days: 3 };
    const again = [...generateCentreTickets(small)];
    expect(again).toEqual([...generateCentreTickets(small)]);
    expect([...generateCentreTickets({ ...small, seed: SEED + 1 })].map((t) => t.ticketId)).not.toEqual(again.map((t) => t.ticketId));
  });

  it('opens exactly the asked tickets, in time order, each keeping its own time moving forward', () => {
    expect(tickets).toHaveLength(OPTIONS.tickets);
    const opened = tickets.map((t) => Date.parse(t.commands[0].at));
    expect(opened).toEqual([...opened].sort((a, b) => a - b));
    for (const ticket of tickets) {
      const times = ticket.events.map((e) => Date.parse(e.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('never has an agent claim, answer, hold, resume, release, route or close outside the agent’s shift', () => {
    const offShift = events
      .map((event) => ({ type: event.type, at: event.occurredAt, agent: agentActs(event) }))
      .filter((act) => act.agent !== null && !shifts.onShift(act.agent, Date.parse(act.at)));
    expect(offShift).toEqual([]);
    // Not vacuous: most events are an agent's.
    expect(events.filter((event) => agentActs(event) !== null).length).toBeGreaterThan(events.length / 2);
  });

  it('makes a ticket that reaches an office unit out of hours wait in the pool for the morning', () => {
    const clock = new CentreClock();
    let waited = 0;
    for (const ticket of tickets) {
      const opened = ticket.events[0];
      if (opened.type !== 'TicketOpened' || !officeUnits.has(opened.data.unitId) || clock.officeOpen(Date.parse(opened.occurredAt)))
        continue;
      const next = ticket.events[1];
      if (next?.type !== 'TicketClaimed') continue;
      waited += 1;
      expect(clock.officeOpen(Date.parse(next.occurredAt))).toBe(true);
    }
    expect(waited).toBeGreaterThan(50);
  });

  it('takes due times from the units’ calendars: an office unit’s claim is due in office hours, a 24/7 unit’s 30 minutes on', () => {
    const clock = new CentreClock();
    const opened = events.filter((event) => event.type === 'TicketOpened');
    let office = 0;
    for (const event of opened) {
      if (event.type !== 'TicketOpened' || event.data.claimDueAt === null) continue;
      const due = Date.parse(event.data.claimDueAt);
      if (officeUnits.has(event.data.unitId)) {
        office += 1;
        expect({ due: event.data.claimDueAt, open: clock.officeOpen(due - 1) }).toEqual({ due: event.data.claimDueAt, open: true });
        expect(event.data.calendarId).toBe('centre-office@1');
      } else {
        const target = event.data.priority === 'urgent' ? 15 : 30;
        expect(due - Date.parse(event.occurredAt)).toBe(target * 60_000);
      }
    }
    expect(office).toBeGreaterThan(opened.length / 2);
  });

  it('writes late claims and answers as delays, from the model: every kind of event of the uniform workload appears', () => {
    for (const type of [
      'TicketRouted',
      'TicketReleased',
      'TicketPutOnHold',
      'TicketReopened',
      'TicketSurveyed',
      'TicketDelayed',
      'TicketEscalated',
    ])
      expect({ type, some: events.filter((e) => e.type === type).length > tickets.length / 100 }).toEqual({ type, some: true });
  });

  it('gives the appends the events the generator decided (the same reference data on both sides)', () => {
    const small = { tickets: 300, seed: SEED, start: new Date('2026-01-01T00:00:00Z'), days: 3 };
    const generated = [...generateCentreTickets(small)];
    const appended = [...centreAppends(small)];
    expect(appended.reduce((n, append) => n + append.events.length, 0)).toBe(generated.reduce((n, t) => n + t.events.length, 0));
  });
});
