import { describe, expect, it } from '@jest/globals';
import { openDeadlines, type OpenDeadline } from './deadlines.js';
import { CALENDAR_TIME_ID, type SlaCatalogue } from './terms.js';
import type { CalendarLookup } from './warnings.js';
import { ALWAYS_OPEN, defineCalendar, type BusinessCalendar } from '../business-time/calendar.js';
import { decide } from '../ticket/decide.js';
import type { TicketEvent } from '../ticket/events.js';
import { fold } from '../ticket/state.js';
import { OFFICE_BERLIN } from '../testing/calendars.js';
import { markDelayed, warnOfBreach } from '../testing/commands.js';
import { testSla } from '../testing/sla.js';
import {
  claimed,
  closed,
  delayed,
  escalated,
  opened,
  putOnHold,
  reopened,
  responded,
  resumed,
  routed,
  TICKET_ID,
  warned,
} from '../testing/events.js';
import { at } from '../testing/time.js';

const CALENDARS: Record<string, BusinessCalendar> = { [CALENDAR_TIME_ID]: ALWAYS_OPEN, 'office@1': defineCalendar(OFFICE_BERLIN) };
const calendars: CalendarLookup = (id) => {
  const calendar = CALENDARS[id];
  if (calendar === undefined) throw new Error(`no calendar ${id}`);
  return calendar;
};
const sla: SlaCatalogue = testSla(() => ({ claimSeconds: null, responseSeconds: null, resolutionSeconds: null }), CALENDARS);

const later = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();

/**
 * Given a stream, then exactly these open deadlines of one kind; and each one is what the
 * watchdog's command accepts at its instant (`MarkTicketDelayed` just after a due, `WarnOfBreach`
 * at the warning's instant and not a millisecond before): the list and decide agree.
 */
function given(...history: TicketEvent[]) {
  const state = fold(history);
  const last = history.length > 0 ? Date.parse(history[history.length - 1].occurredAt) : 0;
  const of = (kind: OpenDeadline['kind']) => openDeadlines(state, calendars).filter((deadline) => deadline.kind === kind);
  return {
    thenOpen(...expected: OpenDeadline[]): void {
      const open = of('delay');
      expect(open).toEqual(expected);
      for (const deadline of open) {
        const after = new Date(Math.max(Date.parse(deadline.dueAt), last) + 1).toISOString();
        const result = decide(state, markDelayed(deadline.phase), { at: after, ticketId: TICKET_ID, sla });
        expect(Array.isArray(result) ? result.map((event) => event.type) : result.code).toEqual(['TicketDelayed']);
      }
    },
    thenWarnings(...expected: OpenDeadline[]): void {
      const open = of('warning');
      expect(open).toEqual(expected);
      for (const deadline of open) {
        const command = warnOfBreach(deadline.phase, deadline.threshold ?? 0);
        if (Date.parse(deadline.dueAt) - 1 >= last) {
          const early = decide(state, command, { at: later(deadline.dueAt, -1), ticketId: TICKET_ID, sla });
          expect(Array.isArray(early) ? early : early.code).toBe('BREACH_WARNING_NOT_DUE');
        }
        const onTime = decide(state, command, {
          at: new Date(Math.max(Date.parse(deadline.dueAt), last)).toISOString(),
          ticketId: TICKET_ID,
          sla,
        });
        expect(
          Array.isArray(onTime)
            ? onTime.map((event) => [event.type, 'threshold' in event.data ? event.data.threshold : null])
            : onTime.code,
        ).toEqual([['TicketBreachWarned', deadline.threshold]]);
      }
    },
  };
}

const claim = (startedAt: string, dueAt: string): OpenDeadline => ({
  kind: 'delay',
  phase: 'claim',
  instance: startedAt,
  dueAt,
  threshold: null,
  level: null,
});
const response = (cycle: number, dueAt: string): OpenDeadline => ({
  kind: 'delay',
  phase: 'response',
  instance: String(cycle),
  dueAt,
  threshold: null,
  level: null,
});
const resolution = (cycle: number, dueAt: string): OpenDeadline => ({
  kind: 'delay',
  phase: 'resolution',
  instance: String(cycle),
  dueAt,
  threshold: null,
  level: null,
});
const warning = (phase: OpenDeadline['phase'], instance: string, threshold: number, warnAt: string): OpenDeadline => ({
  kind: 'warning',
  phase,
  instance,
  dueAt: warnAt,
  threshold,
  level: null,
});

describe('openDeadlines', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

  it('a new ticket: its pool wait’s claim, the first cycle’s response and resolution', () => {
    given(opened(at('0'))).thenOpen(claim(at('0'), at('30m')), response(1, at('4h')), resolution(1, at('3d')));
  });

  it('no stream: none', () => {
    given().thenOpen();
  });

  it('a claimed ticket: no claim deadline', () => {
    given(...held).thenOpen(response(1, at('4h')), resolution(1, at('3d')));
  });

  it('a route starts a new pool wait: the claim deadline is that wait’s, keyed by its start', () => {
    given(opened(at('0')), routed(at('10m'), { fromUnitId: 'front', toUnitId: 'billing' })).thenOpen(
      claim(at('10m'), at('40m')),
      response(1, at('4h')),
      resolution(1, at('3d')),
    );
  });

  it('a delayed phase is not open any more; the others are', () => {
    given(opened(at('0')), delayed(at('31m'), 'claim', { unitId: 'front', dueAt: at('30m') })).thenOpen(
      response(1, at('4h')),
      resolution(1, at('3d')),
    );
    given(...held, delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') })).thenOpen(
      resolution(1, at('3d')),
    );
    given(...held, delayed(at('3d 1s'), 'resolution', { unitId: 'front', userId: 'ayse', dueAt: at('3d') })).thenOpen(
      response(1, at('4h')),
    );
  });

  it('an answered cycle: no response deadline', () => {
    given(...held, responded(at('1h'), { userId: 'ayse' })).thenOpen(resolution(1, at('3d')));
  });

  it('phases without a due time: none of them', () => {
    given(opened(at('0'), { claimDueAt: null, responseDueAt: null, resolutionDueAt: null })).thenOpen();
  });

  it('on hold before the dues: nothing can become late while the clocks stand', () => {
    given(...held, putOnHold(at('3h'), 'ayse')).thenOpen();
  });

  it('on hold after the response due passed: that phase is late and stays open; the resolution is paused', () => {
    given(...held, putOnHold(at('5h'), 'ayse')).thenOpen(response(1, at('4h')));
  });

  it('on hold exactly at the due: not passed, so paused', () => {
    given(...held, putOnHold(at('4h'), 'ayse')).thenOpen();
  });

  it('resumed: the moved dues are open again', () => {
    given(
      ...held,
      putOnHold(at('3h'), 'ayse'),
      resumed(at('5h'), { userId: 'ayse', responseDueAt: at('6h'), resolutionDueAt: at('3d 2h') }),
    ).thenOpen(response(1, at('6h')), resolution(1, at('3d 2h')));
  });

  it('a closed ticket: none', () => {
    given(...held, closed(at('1d'), { userId: 'ayse', unitId: 'front' })).thenOpen();
  });

  it('reopened: the new cycle’s deadlines and its pool wait, keyed by the cycle number and the wait’s start', () => {
    given(...held, closed(at('1d'), { userId: 'ayse', unitId: 'front' }), reopened(at('2d'), { unitId: 'front' })).thenOpen(
      claim(at('2d'), at('2d 30m')),
      response(2, at('2d 4h')),
      resolution(2, at('5d')),
    );
  });
});

describe('openDeadlines: breach warnings (default policy: 75% and 90% of each target)', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

  it('a new ticket: the first threshold of each phase — claim at 22m30s of 30m, response at 3h of 4h, resolution at 54h of 3d', () => {
    given(opened(at('0'))).thenWarnings(
      warning('claim', at('0'), 75, at('22m 30s')),
      warning('response', '1', 75, at('3h')),
      warning('resolution', '1', 75, at('2d 6h')),
    );
  });

  it('once 75% is warned the next threshold is open; once both are, none', () => {
    const first = warned(at('23m'), 'claim', { threshold: 75, dueAt: at('30m'), warnAt: at('22m 30s'), unitId: 'front' });
    given(opened(at('0')), first).thenWarnings(
      warning('claim', at('0'), 90, at('27m')),
      warning('response', '1', 75, at('3h')),
      warning('resolution', '1', 75, at('2d 6h')),
    );
    const second = warned(at('28m'), 'claim', { threshold: 90, dueAt: at('30m'), warnAt: at('27m'), unitId: 'front' });
    given(opened(at('0')), first, second).thenWarnings(warning('response', '1', 75, at('3h')), warning('resolution', '1', 75, at('2d 6h')));
  });

  it('a delayed phase warns no more, whatever thresholds are left', () => {
    given(opened(at('0')), delayed(at('31m'), 'claim', { unitId: 'front', dueAt: at('30m') })).thenWarnings(
      warning('response', '1', 75, at('3h')),
      warning('resolution', '1', 75, at('2d 6h')),
    );
  });

  it('a route starts a new pool wait: its thresholds start again from its own start', () => {
    const first = warned(at('23m'), 'claim', { threshold: 75, dueAt: at('30m'), warnAt: at('22m 30s'), unitId: 'front' });
    given(opened(at('0')), first, routed(at('25m'), { fromUnitId: 'front', toUnitId: 'billing' })).thenWarnings(
      warning('claim', at('25m'), 75, at('47m 30s')),
      warning('response', '1', 75, at('3h')),
      warning('resolution', '1', 75, at('2d 6h')),
    );
  });

  it('on hold: no warning while the clocks stand; resumed, from the moved dues (response 6h: 75% at 5h)', () => {
    given(...held, putOnHold(at('2h'), 'ayse')).thenWarnings();
    given(
      ...held,
      putOnHold(at('2h'), 'ayse'),
      resumed(at('4h'), { userId: 'ayse', responseDueAt: at('6h'), resolutionDueAt: at('3d 2h') }),
    ).thenWarnings(warning('response', '1', 75, at('5h')), warning('resolution', '1', 75, at('2d 8h')));
  });

  it('an answered cycle: no response warning; a closed ticket: none', () => {
    given(...held, responded(at('1h'), { userId: 'ayse' })).thenWarnings(warning('resolution', '1', 75, at('2d 6h')));
    given(...held, closed(at('1h'), { userId: 'ayse', unitId: 'front' })).thenWarnings();
  });

  it('a clock recorded without warnings (before they existed) warns of nothing', () => {
    const bare = { targetSeconds: 1800, calendarId: CALENDAR_TIME_ID };
    given(
      opened(at('0'), { claimClock: bare, responseClock: null, resolutionClock: null, responseDueAt: null, resolutionDueAt: null }),
    ).thenWarnings();
  });

  it('in business time: 50% of a 4 h target started Mon 10:00 CET, due 15:00, falls at 13:00 — after lunch, not at 12:00', () => {
    // T0 is Mon 2026-03-02 09:00Z = 10:00 CET; office hours 09–12 and 13–17: due 15:00 CET = 14:00Z.
    const clock = { targetSeconds: 4 * 3600, calendarId: 'office@1', warnings: [50] };
    given(
      opened(at('0'), {
        claimClock: clock,
        claimDueAt: at('5h'),
        responseClock: null,
        resolutionClock: null,
        responseDueAt: null,
        resolutionDueAt: null,
      }),
    ).thenWarnings(warning('claim', at('0'), 50, at('3h')));
  });

  it('a reopened ticket: the new cycle and pool wait warn from their start', () => {
    const done = warned(at('3h'), 'response', { threshold: 75, dueAt: at('4h'), warnAt: at('3h'), unitId: 'front', userId: 'ayse' });
    given(...held, done, closed(at('1d'), { userId: 'ayse', unitId: 'front' }), reopened(at('2d'), { unitId: 'front' })).thenWarnings(
      warning('claim', at('2d'), 75, at('2d 22m 30s')),
      warning('response', '2', 75, at('2d 3h')),
      warning('resolution', '2', 75, at('4d 6h')),
    );
  });
});

describe('openDeadlines: escalations of a late phase (a recorded schedule: levels 1 at the due, 2 after 30 min, 3 after an hour)', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];
  const schedule = { ruleId: 'late@1', levels: [1, 2, 3].map((level) => ({ level, at: at(['4h', '4h 30m', '5h'][level - 1]) })) };
  const late = delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h'), escalation: schedule });
  const escalation = (level: number, dueAt: string): OpenDeadline => ({
    kind: 'escalation',
    phase: 'response',
    instance: '1',
    dueAt,
    threshold: null,
    level,
  });
  const escalations = (...history: TicketEvent[]) =>
    openDeadlines(fold(history), calendars).filter((deadline) => deadline.kind === 'escalation');

  it('the next level above the ticket’s escalation level, at its instant', () => {
    expect(escalations(...held, late)).toEqual([escalation(1, at('4h'))]);
    expect(escalations(...held, late, escalated(at('4h 1s'), { level: 1, ruleId: 'late@1', phase: 'response' }))).toEqual([
      escalation(2, at('4h 30m')),
    ]);
  });

  it('a manual escalation to level 2 skips the rule’s level 2; after the last level, none', () => {
    expect(escalations(...held, late, escalated(at('4h 10m'), { level: 2, by: 'selin' }))).toEqual([escalation(3, at('5h'))]);
    expect(escalations(...held, late, escalated(at('5h'), { level: 3, ruleId: 'late@1', phase: 'response' }))).toEqual([]);
  });

  it('stops when the phase completes: answered, or closed; a delay without a schedule escalates nothing', () => {
    expect(escalations(...held, late, responded(at('4h 5m'), { userId: 'ayse' }))).toEqual([]);
    expect(escalations(...held, late, closed(at('4h 5m'), { userId: 'ayse', unitId: 'front' }))).toEqual([]);
    expect(escalations(...held, delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }))).toEqual([]);
  });
});
