import { describe, expect, it } from '@jest/globals';
import { generateTickets } from '#workload';
import { commandRequest } from './lag-bench.js';

describe('the lag bench’s commands over HTTP', () => {
  const commands = [...generateTickets({ tickets: 400, seed: 5, start: new Date('2026-01-01T00:00:00Z'), spreadDays: 1 })].flatMap(
    (ticket) => ticket.commands.map((entry) => entry.command),
  );

  it('sends every command the generator makes to its endpoint, without the fields it leaves null', () => {
    const types = new Set(commands.map((command) => command.type));
    expect(types.size).toBeGreaterThanOrEqual(10);
    for (const command of commands) {
      const request = commandRequest('8d7f2c1e-0000-4000-8000-000000000001', command);
      expect(request).toBeDefined();
      expect(Object.values(request?.body ?? {})).not.toContain(null);
    }
  });

  it('opens a ticket with the id the bench chose, and addresses later commands to it', () => {
    const ticketId = '8d7f2c1e-0000-4000-8000-000000000002';
    const open = commands.find((command) => command.type === 'OpenTicket');
    const claim = commands.find((command) => command.type === 'ClaimTicket');
    if (!open || !claim) throw new Error('the generator made no open or claim');
    expect(commandRequest(ticketId, open)).toEqual({
      path: '/tickets',
      body: expect.objectContaining({ ticketId, channel: open.data.channel, unitId: open.data.unitId }),
    });
    expect(commandRequest(ticketId, claim)).toEqual({ path: `/tickets/${ticketId}/claim`, body: { userId: claim.data.userId } });
  });

  it('has no endpoint for the watchdog’s own command', () => {
    expect(commandRequest('8d7f2c1e-0000-4000-8000-000000000003', { type: 'MarkTicketDelayed', data: { phase: 'claim' } })).toBeUndefined();
  });
});
