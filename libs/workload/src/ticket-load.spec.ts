import { describe, expect, it } from '@jest/globals';
import { generateTickets } from './ticket-load.js';

describe('generated ticket workload', () => {
  const options = { tickets: 3000, seed: 42, start: new Date('2026-01-01T00:00:00Z'), spreadDays: 90 };
  const tickets = [...generateTickets(options)];
  const events = tickets.flatMap((t) => t.events);
  const count = (type: string) => events.filter((e) => e.type === type).length;

  it('resembles the BPI 2013 mix: about 9 events per ticket, with routes, releases, holds and reopenings', () => {
    const perTicket = events.length / tickets.length;
    expect(perTicket).toBeGreaterThan(7);
    expect(perTicket).toBeLessThan(11);
    for (const type of [
      'TicketRouted',
      'TicketReleased',
      'TicketPutOnHold',
      'TicketReopened',
      'TicketSurveyed',
      'TicketDelayed',
      'TicketEscalated',
    ]) {
      expect({ type, some: count(type) > tickets.length / 100 }).toEqual({ type, some: true });
    }
    expect(count('TicketOpened')).toBe(tickets.length);
  });

  it('is the same workload for the same seed, and another for another seed', () => {
    const again = [...generateTickets(options)].slice(0, 50);
    expect(again.map((t) => t.events)).toEqual(tickets.slice(0, 50).map((t) => t.events));
    const other = [...generateTickets({ ...options, seed: 43 })].slice(0, 50);
    expect(other.map((t) => t.ticketId)).not.toEqual(again.map((t) => t.ticketId));
  });

  it('keeps every ticket’s time moving forward', () => {
    for (const t of tickets) {
      const times = t.events.map((e) => Date.parse(e.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });
});
