import { describe, expect, it } from '@jest/globals';
import { expectedLateDelays, loadGoldenCommands, loadGoldenExpected, replayThroughDomain } from '#test/support/golden-small.js';

describe('golden-small through decide/evolve', () => {
  const commands = loadGoldenCommands();
  const streams = replayThroughDomain(commands);

  it('accepts every command', () => {
    expect(streams.size).toBe(36);
  });

  it('writes exactly the delays of the phases that ended late, attributed to the holder at the due time', () => {
    const written = [...streams.entries()].flatMap(([ticket, events]) =>
      events.filter((e) => e.type === 'TicketDelayed').map((e) => ({ ticket, ...(e.data as object) })),
    );
    const sort = (list: Array<Record<string, unknown>>) => [...list].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    expect(sort(written)).toEqual(sort(expectedLateDelays(commands).map((d) => ({ ...d, escalation: null }))));
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
