import { describe, expect, it } from '@jest/globals';
import { claim, close, hold, open, reclassify, respond, resume } from '#ticketing/testing/commands.js';
import { CALENDAR_TIME_ID } from '#ticketing/sla/terms.js';
import { testSla } from '#ticketing/testing/sla.js';
import { BERLIN, businessCalendars, ISTANBUL, NO_POLICY, slaIn, slaTicketStream } from './testing/business-calendars.js';
import type { FixtureStep } from './testing/report-fixture.js';
import { ticketHistory } from './ticket-history.js';
import { ticketRows } from './ticket-rows.js';
import type { SlaCatalogue } from '#ticketing/sla/terms.js';

/**
 * Business measures (KPIS.md "Business time"), hand-computed. Istanbul office: 09:00–12:30 and
 * 13:30–18:00 on weekdays, UTC+3. Berlin office: 08:00–16:30 on weekdays, UTC+1 in December;
 * 24 Dec a half day to 12:00, 25 Dec (a Friday) a holiday. 4 Dec 2026 is a Friday.
 */

const H = 3600;
const TICKET = '00000000-0000-4000-8000-00000000b001';

function measuresOf(sla: SlaCatalogue, steps: FixtureStep[]) {
  const history = ticketHistory(slaTicketStream(TICKET, sla, steps));
  if (!history) throw new Error('no history');
  const rows = ticketRows(history, businessCalendars);
  const [t] = rows.tickets;
  return {
    frt: [t.frt_s, t.frt_business_s],
    tfs: [t.tfs_s, t.tfs_business_s],
    trt: [t.trt_s, t.trt_business_s],
    ttc: rows.pool_waits.map((w) => [w.ttc_s, w.ttc_business_s]),
    tat: rows.assignments.map((a) => [a.tat_s, a.tat_business_s]),
    handled: [t.handled_s, t.handled_business_s],
    assignmentsHandled: rows.assignments.map((a) => a.handled_business_s),
    cycles: rows.cycles.map((c) => [c.response_calendar_id, c.resolution_calendar_id, c.trt_business_s]),
  };
}

describe('business measures of a ticket', () => {
  it('skip a weekend: Friday 17:00 → Monday 10:00 Istanbul is 1 h + 1 h', () => {
    const m = measuresOf(slaIn(ISTANBUL), [
      { at: '2026-12-04T14:00:00Z', command: open({ claimBy: 'ayse' }) }, // Fri 17:00 local
      { at: '2026-12-07T07:00:00Z', command: respond('ayse') }, // Mon 10:00
      { at: '2026-12-07T08:00:00Z', command: close('ayse') }, // Mon 11:00
    ]);
    expect(m.frt).toEqual([65 * H, 2 * H]); // Fri 17–18 + Mon 09–10
    expect(m.tfs).toEqual([66 * H, 3 * H]); // the close: Fri 17–18 + Mon 09–11
    expect(m.trt).toEqual([66 * H, 3 * H]);
    expect(m.ttc).toEqual([[0, 0]]); // claimed on opening
    expect(m.tat).toEqual([[65 * H, 2 * H]]);
    expect(m.handled).toEqual([66 * H, 3 * H]);
    expect(m.cycles).toEqual([[ISTANBUL, ISTANBUL, 3 * H]]);
  });

  it('leave out the lunch break: 12:00 → 14:00 Istanbul is 12:00–12:30 + 13:30–14:00', () => {
    const m = measuresOf(slaIn(ISTANBUL), [
      { at: '2026-12-08T09:00:00Z', command: open() }, // Tue 12:00 local
      { at: '2026-12-08T09:40:00Z', command: claim('ayse') }, // 12:40, at lunch
      { at: '2026-12-08T11:00:00Z', command: respond('ayse', { solution: true }) }, // 14:00
      { at: '2026-12-08T11:30:00Z', command: close('ayse') }, // 14:30
    ]);
    expect(m.ttc).toEqual([[40 * 60, 30 * 60]]); // 12:00–12:30; lunch does not count
    expect(m.tat).toEqual([[80 * 60, 30 * 60]]); // 12:40 at lunch → 13:30–14:00
    expect(m.frt).toEqual([2 * H, H]); // 30 min + 30 min
    expect(m.tfs).toEqual([2 * H, H]); // the solution is the response
    expect(m.trt).toEqual([2.5 * H, 1.5 * H]); // 12:00–12:30 + 13:30–14:30
    expect(m.handled).toEqual([110 * 60, H]); // 12:40 → 14:30: 13:30–14:30
  });

  it('skip a holiday weekend: Thursday 24 Dec 11:00 → Monday 28 Dec 09:00 Berlin is 1 h + 1 h', () => {
    const m = measuresOf(slaIn(BERLIN), [
      { at: '2026-12-24T10:00:00Z', command: open({ claimBy: 'jonas' }) }, // Thu 11:00 local, half day to 12:00
      { at: '2026-12-24T10:30:00Z', command: respond('jonas') }, // 11:30
      { at: '2026-12-28T08:00:00Z', command: close('jonas') }, // Mon 09:00
    ]);
    expect(m.frt).toEqual([30 * 60, 30 * 60]);
    // Thu 11:00–12:00, Fri 25 Dec holiday, Sat, Sun, Mon 08:00–09:00.
    expect(m.trt).toEqual([94 * H, 2 * H]);
    expect(m.handled).toEqual([94 * H, 2 * H]);
    expect(m.cycles).toEqual([[BERLIN, BERLIN, 2 * H]]);
  });

  it('leave out a hold inside working hours, and lunch', () => {
    const m = measuresOf(slaIn(ISTANBUL), [
      { at: '2026-12-09T06:00:00Z', command: open({ claimBy: 'ayse' }) }, // Wed 09:00 local
      { at: '2026-12-09T07:00:00Z', command: hold('ayse') }, // 10:00
      { at: '2026-12-09T08:00:00Z', command: resume('ayse') }, // 11:00
      { at: '2026-12-09T12:00:00Z', command: respond('ayse') }, // 15:00
      { at: '2026-12-09T13:00:00Z', command: close('ayse') }, // 16:00
    ]);
    expect(m.frt).toEqual([6 * H, 4 * H]); // 09–15 = 6 h − lunch 1 h − hold 1 h
    expect(m.tat).toEqual([[6 * H, 4 * H]]);
    expect(m.trt).toEqual([7 * H, 5 * H]); // 09–16 = 7 h − lunch − hold
    expect(m.handled).toEqual([7 * H, 5 * H]); // handling counts the hold in calendar time only
  });

  it('in calendar time (24x7@1) are the calendar measures less the time on hold', () => {
    const m = measuresOf(slaIn(CALENDAR_TIME_ID), [
      { at: '2026-12-09T06:00:00Z', command: open({ claimBy: 'ayse' }) },
      { at: '2026-12-09T07:00:00Z', command: hold('ayse') },
      { at: '2026-12-09T08:00:00Z', command: resume('ayse') },
      { at: '2026-12-09T12:00:00Z', command: respond('ayse') },
      { at: '2026-12-09T13:00:00Z', command: close('ayse') },
    ]);
    expect(m.frt).toEqual([6 * H, 5 * H]);
    expect(m.trt).toEqual([7 * H, 6 * H]);
  });

  it('follow a reclassification that moved the clocks to another calendar, from then on', () => {
    const sla = testSla(
      (key) => ({
        claimSeconds: 1800,
        responseSeconds: 4 * H,
        resolutionSeconds: 24 * H,
        calendarId: key.category === 'berlin-desk' ? BERLIN : ISTANBUL,
      }),
      { [ISTANBUL]: businessCalendars(ISTANBUL), [BERLIN]: businessCalendars(BERLIN) },
    );
    const m = measuresOf(sla, [
      { at: '2026-12-08T09:00:00Z', command: open({ claimBy: 'ayse' }) }, // Istanbul 12:00, Berlin 10:00
      { at: '2026-12-08T09:15:00Z', command: reclassify({ category: 'berlin-desk' }) },
      { at: '2026-12-08T11:00:00Z', command: respond('ayse') }, // Istanbul 14:00, Berlin 12:00
      { at: '2026-12-08T11:30:00Z', command: close('ayse') },
    ]);
    // Berlin 10:00–12:00 (in Istanbul it would be 30 + 30 min around lunch).
    expect(m.frt).toEqual([2 * H, 2 * H]);
    expect(m.trt).toEqual([2.5 * H, 2.5 * H]);
    expect(m.cycles).toEqual([[BERLIN, BERLIN, 2.5 * H]]);
  });

  it('are null for a ticket with no policy, whose calendar measures stay', () => {
    const m = measuresOf(NO_POLICY, [
      { at: '2026-12-08T09:00:00Z', command: open({ claimBy: 'ayse' }) },
      { at: '2026-12-08T10:00:00Z', command: respond('ayse') },
      { at: '2026-12-08T11:00:00Z', command: close('ayse') },
    ]);
    expect(m).toEqual({
      frt: [H, null],
      tfs: [2 * H, null],
      trt: [2 * H, null],
      ttc: [[0, null]],
      tat: [[H, null]],
      handled: [2 * H, null],
      assignmentsHandled: [null],
      cycles: [[null, null, null]],
    });
  });
});
