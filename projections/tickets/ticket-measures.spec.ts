import { describe, expect, it } from '@jest/globals';
import { loadGoldenCommands, loadGoldenExpected, replayThroughDomain } from '#test/support/golden-small.js';
import { ticketHistory } from './ticket-history.js';
import { ticketMeasures } from './ticket-measures.js';

const ms = (x: number | null) => (x === null ? null : Math.round(x * 1000));

describe('ticket measures of golden-small, by plain replay', () => {
  const expected = loadGoldenExpected();
  const streams = replayThroughDomain(loadGoldenCommands());

  it.each(expected.tickets.map((t) => [t.ticket, t] as const))('ticket %s matches expected.json', (id, t) => {
    const asOf = expected.asOf;
    const events = (streams.get(id) ?? []).filter((e) => Date.parse(e.occurredAt) <= Date.parse(asOf));
    const history = ticketHistory(events);
    if (!history) throw new Error(`no history for ${id}`);
    const m = ticketMeasures(history, new Date(asOf).toISOString());
    expect({
      frt: ms(m.frt),
      trt: ms(m.trt),
      tfs: ms(m.tfs),
      ttc: m.ttc.map(ms),
      tat: m.tat.map(ms),
      handling: ms(m.handling),
      response_state: m.responseState,
      same_day: m.sameDay,
      fcr_system: m.fcrSystem,
      request_met: m.requestMet,
      escalated: m.escalated,
      reopened: m.reopened,
      closed: m.closed,
    }).toEqual({
      frt: ms(t.frt as number | null),
      trt: ms(t.trt as number | null),
      tfs: ms(t.tfs as number | null),
      ttc: (t.ttc as Array<number | null>).map(ms),
      tat: (t.tat as Array<number | null>).map(ms),
      handling: ms(t.handling as number),
      response_state: t.response_state,
      same_day: t.same_day,
      fcr_system: t.fcr_system,
      request_met: t.request_met,
      escalated: t.escalated,
      reopened: t.reopened,
      closed: t.closed,
    });
  });
});
