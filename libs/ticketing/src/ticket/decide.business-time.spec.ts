import { describe, expect, it } from '@jest/globals';
import type { TicketCommand } from './commands.js';
import { decide } from './decide.js';
import type { TicketEvent, TicketOpenedData, TicketReclassifiedData, TicketResumedData } from './events.js';
import { fold } from './state.js';
import { OFFICE_BERLIN } from '../testing/calendars.js';
import { claim, hold, open, reclassify, resume, route } from '../testing/commands.js';
import { TICKET_ID } from '../testing/events.js';
import { business, calendarTime, calendarVersion, contactCentre, policyVersion } from '../testing/reference.js';

/**
 * Due times in business time (KPIS.md "Business time"), through decide. The office calendar is
 * Berlin 09–12 and 13–17 on weekdays (CEST = UTC+2 in June 2025); Monday 2 June 2025.
 * Policies: normal — response 6 business hours, resolution 11; urgent — response 4, resolution 9;
 * claim 30 calendar minutes for both.
 */
const office = calendarVersion('office', 1, '2025-01-01T00:00:00.000Z', OFFICE_BERLIN);
const normal = policyVersion(
  'normal',
  2,
  { priority: 'normal' },
  { claim: calendarTime(0.5), response: business(6), resolution: business(11) },
);
const urgent = policyVersion(
  'urgent',
  1,
  { priority: 'urgent' },
  { claim: calendarTime(0.5), response: business(4), resolution: business(9) },
);
const reference = { catalogue: contactCentre([office], [[normal], [urgent]]), mode: 'strict' as const };

function play(steps: [TicketCommand, string][]): TicketEvent[] {
  const events: TicketEvent[] = [];
  for (const [command, at] of steps) {
    const result = decide(fold(events), command, { at, ticketId: TICKET_ID, reference });
    if (!Array.isArray(result)) throw new Error(`${command.type} at ${at}: ${result.code} ${result.message}`);
    events.push(...result);
  }
  return events;
}

function last<T extends TicketEvent['type']>(events: TicketEvent[], type: T): Extract<TicketEvent, { type: T }> {
  const found = events.filter((e): e is Extract<TicketEvent, { type: T }> => e.type === type).at(-1);
  if (found === undefined) throw new Error(`no ${type}`);
  return found;
}

// Mon 09:00 Berlin.
const OPEN = '2025-06-02T07:00:00.000Z';

describe('due times in business time', () => {
  it('open: each clock records its terms, and its due counts only working time', () => {
    const opened: TicketOpenedData = last(play([[open(), OPEN]]), 'TicketOpened').data;
    expect(opened).toMatchObject({
      policyId: 'normal@1',
      calendarId: 'office@1',
      claimClock: { targetSeconds: 1800, calendarId: '24x7@1' },
      responseClock: { targetSeconds: 6 * 3600, calendarId: 'office@1' },
      resolutionClock: { targetSeconds: 11 * 3600, calendarId: 'office@1' },
      // calendar time: 09:30 Berlin
      claimDueAt: '2025-06-02T07:30:00.000Z',
      // 09–12 (3 h) + 13–16 (3 h): Mon 16:00 Berlin
      responseDueAt: '2025-06-02T14:00:00.000Z',
      // Mon 7 h + Tue 09–12 (3 h) + 13–14 (1 h): Tue 14:00 Berlin
      resolutionDueAt: '2025-06-03T12:00:00.000Z',
    });
  });

  it('a clock started outside working hours runs from the next opening', () => {
    // Fri 6 June 18:30 Berlin: the response clock starts Mon 9 June 09:00 → 6 h → Mon 16:00 Berlin.
    const opened = last(play([[open(), '2025-06-06T16:30:00.000Z']]), 'TicketOpened').data;
    expect(opened.responseDueAt).toBe('2025-06-09T14:00:00.000Z');
  });

  // A hold from Mon 09:30 to 11:30 Berlin is 2 business hours.
  const heldTwoHours: [TicketCommand, string][] = [
    [open(), OPEN],
    [claim('ayse'), '2025-06-02T07:10:00.000Z'],
    [hold('ayse'), '2025-06-02T07:30:00.000Z'],
    [resume('ayse'), '2025-06-02T09:30:00.000Z'],
  ];

  it('a ticket on hold for 2 business hours has its due times 2 business hours later', () => {
    const resumed: TicketResumedData = last(play(heldTwoHours), 'TicketResumed').data;
    expect(resumed).toEqual({
      userId: 'ayse',
      // Mon 16:00 + 2 business hours = 16–17 (1 h) + Tue 09–10 (1 h): Tue 10:00 Berlin
      responseDueAt: '2025-06-03T08:00:00.000Z',
      // Tue 14:00 + 2 business hours: Tue 16:00 Berlin
      resolutionDueAt: '2025-06-03T14:00:00.000Z',
    });
  });

  it('a reclassification after that recomputes from the cycle start under the new policy and keeps the 2 hours', () => {
    const reclassified: TicketReclassifiedData = last(
      play([...heldTwoHours, [reclassify({ userId: 'ayse', priority: 'urgent' }), '2025-06-02T12:00:00.000Z']]),
      'TicketReclassified',
    ).data;
    expect(reclassified).toEqual({
      userId: 'ayse',
      category: 'billing',
      priority: 'urgent',
      policyId: 'urgent@1',
      responseClock: { targetSeconds: 4 * 3600, calendarId: 'office@1' },
      resolutionClock: { targetSeconds: 9 * 3600, calendarId: 'office@1' },
      // 4 business hours + the 2 on hold from Mon 09:00: 09–12 (3 h) + 13–16 (3 h) → Mon 16:00 Berlin
      responseDueAt: '2025-06-02T14:00:00.000Z',
      // 9 + 2 = 11 business hours from Mon 09:00 → Tue 14:00 Berlin
      resolutionDueAt: '2025-06-03T12:00:00.000Z',
    });
  });

  it('the claim clock of a route takes the new unit calendar by default, but a calendar-time target stays calendar time', () => {
    const routed = last(
      play([
        [open(), OPEN],
        [route('field'), '2025-06-02T08:00:00.000Z'],
      ]),
      'TicketRouted',
    ).data;
    expect(routed).toMatchObject({ claimClock: { targetSeconds: 1800, calendarId: '24x7@1' }, claimDueAt: '2025-06-02T08:30:00.000Z' });
  });
});
