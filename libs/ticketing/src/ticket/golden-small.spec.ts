import { describe, expect, it } from '@jest/globals';
import { expectedLateDelays, loadGoldenCommands, loadGoldenExpected, type GoldenCommand } from '../../../../test/support/golden-small.js';
import type { TicketCommand } from './commands.js';
import { decide } from './decide.js';
import type { Resolution, TicketEvent } from './events.js';
import { evolve, initialState, type TicketState } from './state.js';

/** The fixture's neutral commands as domain commands (the HTTP mapping is tested end to end). */
function toDomain(c: GoldenCommand): TicketCommand {
  const a = c.args;
  const s = (k: string) => String(a[k]);
  switch (c.cmd) {
    case 'open':
      return {
        type: 'OpenTicket',
        data: { channel: s('channel'), customer: s('customer'), category: s('category'), priority: s('priority'), subject: s('subject'), unitId: s('unit'), claimBy: a.claimBy ? s('claimBy') : null },
      };
    case 'route':
      return { type: 'RouteTicket', data: { toUnitId: s('toUnit'), reason: s('reason'), userId: a.user ? s('user') : null } };
    case 'claim':
      return { type: 'ClaimTicket', data: { userId: s('user') } };
    case 'release':
      return { type: 'ReleaseTicket', data: { userId: s('user'), reason: s('reason') } };
    case 'respond':
      return { type: 'RespondToTicket', data: { userId: s('user'), solution: Boolean(a.solution) } };
    case 'hold':
      return { type: 'PutTicketOnHold', data: { userId: s('user'), reason: s('reason') } };
    case 'resume':
      return { type: 'ResumeTicket', data: { userId: s('user') } };
    case 'escalate':
      return { type: 'EscalateTicket', data: { userId: s('user'), level: Number(a.level), reason: s('reason') } };
    case 'close':
      return { type: 'CloseTicket', data: { userId: s('user'), resolution: s('resolution') as Resolution, requestMet: Boolean(a.requestMet) } };
    case 'reopen':
      return { type: 'ReopenTicket', data: { userId: s('user'), reason: s('reason') } };
    case 'survey':
      return {
        type: 'SurveyTicket',
        data: { score: Number(a.score), resolved: a.resolved as boolean, resolvedOnFirstContact: a.resolvedOnFirstContact as boolean, channel: s('channel') },
      };
  }
}

describe('golden-small through decide/evolve', () => {
  const commands = loadGoldenCommands();
  const streams = new Map<string, TicketEvent[]>();
  const states = new Map<string, TicketState>();
  for (const command of commands) {
    const state = states.get(command.ticket) ?? initialState;
    const result = decide(state, toDomain(command), { at: new Date(command.at).toISOString(), ticketId: command.ticket });
    if (!Array.isArray(result)) throw new Error(`${command.cmd} on ${command.ticket} at ${command.at} refused: ${result.code} ${result.message}`);
    states.set(command.ticket, result.reduce(evolve, state));
    streams.set(command.ticket, [...(streams.get(command.ticket) ?? []), ...result]);
  }

  it('accepts every command', () => {
    expect(streams.size).toBe(36);
  });

  it('writes exactly the delays of the phases that ended late, attributed to the holder at the due time', () => {
    const written = [...streams.entries()].flatMap(([ticket, events]) =>
      events.filter((e) => e.type === 'TicketDelayed').map((e) => ({ ticket, ...(e.data as object) })),
    );
    const sort = (list: Array<Record<string, unknown>>) => [...list].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    expect(sort(written)).toEqual(sort(expectedLateDelays(commands).map((d) => ({ ...d }))));
    expect(written.length).toBeGreaterThan(0);
  });

  it('agrees with the fixture on which first responses were late', () => {
    const expected = loadGoldenExpected();
    for (const t of expected.tickets) {
      const events = streams.get(t.ticket) ?? [];
      const firstClose = events.findIndex((e) => e.type === 'TicketClosed' || e.type === 'TicketReopened');
      const firstCycle = firstClose === -1 ? events : events.slice(0, firstClose + 1);
      const lateResponse = firstCycle.some((e) => e.type === 'TicketDelayed' && e.data.phase === 'response');
      if (lateResponse) expect({ ticket: t.ticket, state: t.response_state }).toEqual({ ticket: t.ticket, state: 'late' });
      if (t.response_state === 'on_time') expect({ ticket: t.ticket, lateResponse }).toEqual({ ticket: t.ticket, lateResponse: false });
    }
  });
});
