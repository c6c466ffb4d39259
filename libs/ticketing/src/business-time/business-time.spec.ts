import { describe, expect, it } from '@jest/globals';
import { ALL_DAY_BERLIN, DAWN_BERLIN, NIGHT_BERLIN, OFFICE_BERLIN, OFFICE_ISTANBUL } from '../testing/calendars.js';
import { addBusinessSeconds, businessSecondsBetween } from './business-time.js';
import { ALWAYS_OPEN, defineCalendar, type BusinessCalendar } from './calendar.js';
import { holdPhaseClock, resumePhaseClock, startPhaseClock, type PhaseClock } from './clock.js';

/**
 * Hand-computed cases: every expected value was worked out from KPIS.md "Business time" and the
 * tz database's 2025 changes (Berlin: CET→CEST at 2025-03-30T01:00Z, back at 2025-10-26T01:00Z;
 * Istanbul: +03 all year), never by running this code. The comment above each case is its reasoning.
 */
const office = defineCalendar(OFFICE_BERLIN);
const nightShift = defineCalendar(NIGHT_BERLIN);
const dawn = defineCalendar(DAWN_BERLIN);
const allDay = defineCalendar(ALL_DAY_BERLIN);
const istanbul = defineCalendar(OFFICE_ISTANBUL);

const HOUR = 3600;

interface AddCase {
  name: string;
  calendar: BusinessCalendar;
  start: string;
  seconds: number;
  due: string;
}

interface BetweenCase {
  name: string;
  calendar: BusinessCalendar;
  from: string;
  to: string;
  seconds: number;
}

const addCases: AddCase[] = [
  // Weekend: Fri 16:00 CEST, 1 h left on Friday, then Monday 09:00–10:00 CEST (= 08:00Z).
  { name: 'a weekend', calendar: office, start: '2025-06-13T14:00:00.000Z', seconds: 2 * HOUR, due: '2025-06-16T08:00:00.000Z' },
  // Lunch break: Tue 11:30 CEST, 30 min to 12:00, 30 min after 13:00 → 13:30 CEST.
  { name: 'a lunch break', calendar: office, start: '2025-06-17T09:30:00.000Z', seconds: HOUR, due: '2025-06-17T11:30:00.000Z' },
  // Runs out at 12:00 exactly: B stays 1 h through lunch, so the latest such instant is 13:00 CEST.
  { name: 'out at the lunch closing', calendar: office, start: '2025-06-17T09:00:00.000Z', seconds: HOUR, due: '2025-06-17T11:00:00.000Z' },
  // Runs out at Friday 17:00: due at the next opening, Monday 09:00 CEST.
  { name: 'out at Friday closing', calendar: office, start: '2025-06-13T14:00:00.000Z', seconds: HOUR, due: '2025-06-16T07:00:00.000Z' },
  // Start outside hours: Tue 06:00 CEST, the clock starts at 09:00 → 09:30 CEST.
  { name: 'a start before opening', calendar: office, start: '2025-06-17T04:00:00.000Z', seconds: 1800, due: '2025-06-17T07:30:00.000Z' },
  // Zero target during lunch (12:15 CEST): the next opening, 13:00 CEST.
  { name: 'zero target at lunch', calendar: office, start: '2025-06-17T10:15:00.000Z', seconds: 0, due: '2025-06-17T11:00:00.000Z' },
  // Zero target within working time: the start itself, milliseconds kept.
  { name: 'zero target at work', calendar: office, start: '2025-06-17T08:00:00.250Z', seconds: 0, due: '2025-06-17T08:00:00.250Z' },
  // Zero target at 17:00 sharp: [13:00, 17:00) excludes 17:00, so Wednesday 09:00 CEST.
  { name: 'zero target at closing', calendar: office, start: '2025-06-17T15:00:00.000Z', seconds: 0, due: '2025-06-18T07:00:00.000Z' },
  // Zero target at 09:00 sharp: opening is working time, so the start itself.
  { name: 'zero target at opening', calendar: office, start: '2025-06-18T07:00:00.000Z', seconds: 0, due: '2025-06-18T07:00:00.000Z' },
  // Zero target on Saturday 10:00 CEST: Monday 09:00 CEST.
  { name: 'zero target on a weekend', calendar: office, start: '2025-06-14T08:00:00.000Z', seconds: 0, due: '2025-06-16T07:00:00.000Z' },
  // Holiday eve: Wed 30 Apr 16:00 CEST, 1 h Wed, Thu 1 May off, Fri half day 09:00–11:00 → 11:00 CEST.
  { name: 'a holiday eve', calendar: office, start: '2025-04-30T14:00:00.000Z', seconds: 3 * HOUR, due: '2025-05-02T09:00:00.000Z' },
  // Half day: Fri 2 May 11:00 CEST, 1 h until the half day ends at 12:00, extra Saturday 10:00–11:00 CEST.
  {
    name: 'a half day, then an extra Saturday',
    calendar: office,
    start: '2025-05-02T09:00:00.000Z',
    seconds: 2 * HOUR,
    due: '2025-05-03T09:00:00.000Z',
  },
  // Christmas: Tue 23 Dec 15:00 CET 2 h, Wed half day 3 h, Thu–Sun closed, Mon 09–12 3 h = 8 h at 12:00 → 13:00 CET.
  { name: 'Christmas', calendar: office, start: '2025-12-23T14:00:00.000Z', seconds: 8 * HOUR, due: '2025-12-29T12:00:00.000Z' },
  // Start on a holiday (25 Dec 10:00 CET): runs from Monday 29 Dec 09:00 CET → 10:00 CET.
  { name: 'a start on a holiday', calendar: office, start: '2025-12-25T09:00:00.000Z', seconds: HOUR, due: '2025-12-29T09:00:00.000Z' },
  // Spring forward on a closed Sunday: Fri 16:00 CET 1 h, Monday 09:00–10:00 now CEST (+2) = 08:00Z.
  {
    name: 'office over spring forward',
    calendar: office,
    start: '2025-03-28T15:00:00.000Z',
    seconds: 2 * HOUR,
    due: '2025-03-31T08:00:00.000Z',
  },
  // Fall back on a closed Sunday: Fri 16:30 CEST 30 min, Monday 09:00–09:30 now CET (+1) = 08:30Z.
  { name: 'office over fall back', calendar: office, start: '2025-10-24T14:30:00.000Z', seconds: HOUR, due: '2025-10-27T08:30:00.000Z' },
  // Night shift, spring forward: Sat 20:00 CET (19:00Z) runs without a break to Sun 06:00 CEST (04:00Z); 8 h → 03:00Z.
  {
    name: 'night shift into spring forward',
    calendar: nightShift,
    start: '2025-03-29T19:00:00.000Z',
    seconds: 8 * HOUR,
    due: '2025-03-30T03:00:00.000Z',
  },
  // That night is 9 h long; 9 h run out at 06:00 CEST, so due at Sun 20:00 CEST (18:00Z).
  {
    name: 'night shift, the short night used up',
    calendar: nightShift,
    start: '2025-03-29T19:00:00.000Z',
    seconds: 9 * HOUR,
    due: '2025-03-30T18:00:00.000Z',
  },
  // Fall back: Sat 20:00 CEST (18:00Z) to Sun 06:00 CET (05:00Z) is 11 h; used up → Sun 20:00 CET (19:00Z).
  {
    name: 'night shift, the long night used up',
    calendar: nightShift,
    start: '2025-10-25T18:00:00.000Z',
    seconds: 11 * HOUR,
    due: '2025-10-26T19:00:00.000Z',
  },
  // Night shift across midnight on an ordinary night: Tue 23:00 CEST (21:00Z) + 5 h = Wed 04:00 CEST (02:00Z).
  {
    name: 'night shift across midnight',
    calendar: nightShift,
    start: '2025-06-17T21:00:00.000Z',
    seconds: 5 * HOUR,
    due: '2025-06-18T02:00:00.000Z',
  },
  // 02:30 does not exist on 30 Mar: it moves forward by the gap to 03:30 CEST (01:30Z), the opening.
  {
    name: 'an opening in the spring-forward gap',
    calendar: dawn,
    start: '2025-03-30T00:00:00.000Z',
    seconds: 0,
    due: '2025-03-30T01:30:00.000Z',
  },
  // 02:30 happens twice on 26 Oct: the earlier, 02:30 CEST (00:30Z), opens; + 1 h = 01:30Z.
  {
    name: 'an opening in the repeated fall-back hour',
    calendar: dawn,
    start: '2025-10-26T00:00:00.000Z',
    seconds: HOUR,
    due: '2025-10-26T01:30:00.000Z',
  },
  // Every hour in Berlin: working time never stops, so it is t + n across the gap.
  {
    name: 'all day over spring forward',
    calendar: allDay,
    start: '2025-03-29T23:30:00.000Z',
    seconds: HOUR,
    due: '2025-03-30T00:30:00.000Z',
  },
  // Istanbul keeps +03 while Berlin shifts: Fri 17:00 1 h, Sat 10:00–12:00 → 12:00+03 (09:00Z).
  {
    name: 'Istanbul on a European DST weekend',
    calendar: istanbul,
    start: '2025-10-24T14:00:00.000Z',
    seconds: 3 * HOUR,
    due: '2025-10-25T09:00:00.000Z',
  },
  // Istanbul half day then holiday: Tue 28 Oct 12:00 1 h, Wed off, Thu 09:00–10:00+03 (07:00Z).
  {
    name: 'Istanbul half day and holiday',
    calendar: istanbul,
    start: '2025-10-28T09:00:00.000Z',
    seconds: 2 * HOUR,
    due: '2025-10-30T07:00:00.000Z',
  },
  // Istanbul in March: Fri 17:30+03 30 min, Sat 10:00–10:30+03 (07:30Z).
  { name: 'Istanbul in March', calendar: istanbul, start: '2025-03-28T14:30:00.000Z', seconds: HOUR, due: '2025-03-29T07:30:00.000Z' },
  // Milliseconds: 11:59:59.750 CEST, 0.25 s before lunch, 0.75 s after 13:00 → 13:00:00.750 CEST.
  { name: 'milliseconds across lunch', calendar: office, start: '2025-06-17T09:59:59.750Z', seconds: 1, due: '2025-06-17T11:00:00.750Z' },
  // Milliseconds of a start outside hours do not carry: the clock starts at 09:00:00.000 CEST.
  {
    name: 'milliseconds before opening',
    calendar: office,
    start: '2025-06-17T05:00:00.123Z',
    seconds: 60,
    due: '2025-06-17T07:01:00.000Z',
  },
  // A fractional target: 1.5 s from 10:00 CEST.
  { name: 'a fractional target', calendar: office, start: '2025-06-17T08:00:00.000Z', seconds: 1.5, due: '2025-06-17T08:00:01.500Z' },
  // A year in Istanbul holds 2543 h of work (see the between case); that much ends at 31 Dec 18:00, 1 Jan is off → Fri 2 Jan 09:00+03.
  {
    name: 'a year in Istanbul',
    calendar: istanbul,
    start: '2024-12-31T21:00:00.000Z',
    seconds: 2543 * HOUR,
    due: '2026-01-02T06:00:00.000Z',
  },
  // An hour less: Wed 31 Dec 17:00+03 (14:00Z).
  {
    name: 'a year in Istanbul less an hour',
    calendar: istanbul,
    start: '2024-12-31T21:00:00.000Z',
    seconds: 2542 * HOUR,
    due: '2025-12-31T14:00:00.000Z',
  },
  // A year at the Berlin office, 1802 h (see the between case), ends at Wed 31 Dec 17:00 CET → Thu 1 Jan 2026 09:00 CET (no override).
  { name: 'a year in Berlin', calendar: office, start: '2024-12-31T23:00:00.000Z', seconds: 1802 * HOUR, due: '2026-01-01T08:00:00.000Z' },
  // 24/7: t + n, across Berlin's gap and with milliseconds.
  { name: '24/7', calendar: ALWAYS_OPEN, start: '2025-03-30T00:30:00.120Z', seconds: 2 * HOUR, due: '2025-03-30T02:30:00.120Z' },
  // 24/7 zero target: t itself.
  { name: '24/7 zero target', calendar: ALWAYS_OPEN, start: '2025-06-14T08:00:00.000Z', seconds: 0, due: '2025-06-14T08:00:00.000Z' },
];

const betweenCases: BetweenCase[] = [
  // Fri 16:00 CEST → Mon 10:00 CEST: Friday 1 h + Monday 1 h.
  { name: 'a weekend', calendar: office, from: '2025-06-13T14:00:00.000Z', to: '2025-06-16T08:00:00.000Z', seconds: 2 * HOUR },
  // Saturday 3 May, midnight to midnight CEST: the extra working day's 10:00–14:00.
  { name: 'an extra Saturday', calendar: office, from: '2025-05-02T22:00:00.000Z', to: '2025-05-03T22:00:00.000Z', seconds: 4 * HOUR },
  // Christmas week Mon 22 – Mon 29 Dec (CET midnights): 7 + 7 + 3 (half day) + 0 + 0 = 17 h.
  { name: 'Christmas week', calendar: office, from: '2025-12-21T23:00:00.000Z', to: '2025-12-28T23:00:00.000Z', seconds: 17 * HOUR },
  // Within a holiday: nothing.
  { name: 'inside a holiday', calendar: office, from: '2025-12-25T09:00:00.000Z', to: '2025-12-26T14:00:00.000Z', seconds: 0 },
  // Reversed bounds: 0.
  { name: 'to before from', calendar: office, from: '2025-06-17T10:00:00.000Z', to: '2025-06-17T08:00:00.000Z', seconds: 0 },
  // Fri 09:00 CET → Mon 17:00 CEST over spring forward: 7 h + 7 h (Monday's 17:00 is 15:00Z, not 16:00Z).
  {
    name: 'office over spring forward',
    calendar: office,
    from: '2025-03-28T08:00:00.000Z',
    to: '2025-03-31T15:00:00.000Z',
    seconds: 14 * HOUR,
  },
  // The spring-forward night 20:00 CET → 06:00 CEST is 9 h of real time.
  { name: 'the short night', calendar: nightShift, from: '2025-03-29T19:00:00.000Z', to: '2025-03-30T04:00:00.000Z', seconds: 9 * HOUR },
  // The fall-back night 20:00 CEST → 06:00 CET is 11 h.
  { name: 'the long night', calendar: nightShift, from: '2025-10-25T18:00:00.000Z', to: '2025-10-26T05:00:00.000Z', seconds: 11 * HOUR },
  // 02:30 (gap → 03:30 CEST, 01:30Z) to 05:00 CEST (03:00Z): 1.5 h on that Sunday.
  { name: 'an interval cut by the gap', calendar: dawn, from: '2025-03-29T23:00:00.000Z', to: '2025-03-30T22:00:00.000Z', seconds: 5400 },
  // 02:30 CEST (the earlier, 00:30Z) to 05:00 CET (04:00Z): 3.5 h on that Sunday.
  {
    name: 'an interval stretched by the repeated hour',
    calendar: dawn,
    from: '2025-10-25T20:00:00.000Z',
    to: '2025-10-26T12:00:00.000Z',
    seconds: 12600,
  },
  // The spring-forward Sunday, midnight to midnight, all day: 23 h.
  { name: 'the 23-hour day', calendar: allDay, from: '2025-03-29T23:00:00.000Z', to: '2025-03-30T22:00:00.000Z', seconds: 23 * HOUR },
  // Istanbul week of 27 Oct: 9 + 4 (half day) + 0 (holiday) + 9 + 9 + 4 (Saturday) + 0 = 35 h.
  {
    name: 'Istanbul holiday week',
    calendar: istanbul,
    from: '2025-10-26T21:00:00.000Z',
    to: '2025-11-02T21:00:00.000Z',
    seconds: 35 * HOUR,
  },
  // Istanbul Sunday until Monday's opening: nothing.
  { name: 'Istanbul Sunday', calendar: istanbul, from: '2025-03-29T21:00:00.000Z', to: '2025-03-31T06:00:00.000Z', seconds: 0 },
  // 11:59:59.750 → 13:00:00.750 CEST: 0.25 s + 0.75 s.
  { name: 'milliseconds across lunch', calendar: office, from: '2025-06-17T09:59:59.750Z', to: '2025-06-17T11:00:00.750Z', seconds: 1 },
  // Half a second of working time.
  { name: 'half a second', calendar: office, from: '2025-06-17T08:00:00.000Z', to: '2025-06-17T08:00:00.500Z', seconds: 0.5 },
  // 2025 in Istanbul: 261 weekdays × 9 h + 52 Saturdays × 4 h = 2557 h, less 5 h (half day) and 9 h (holiday) = 2543 h.
  {
    name: 'a year in Istanbul',
    calendar: istanbul,
    from: '2024-12-31T21:00:00.000Z',
    to: '2025-12-31T21:00:00.000Z',
    seconds: 2543 * HOUR,
  },
  // 2025 at the Berlin office: 261 × 7 h = 1827 h; −7 −4 +4 (May) −4 −7 −7 (Christmas) = 1802 h.
  { name: 'a year in Berlin', calendar: office, from: '2024-12-31T23:00:00.000Z', to: '2025-12-31T23:00:00.000Z', seconds: 1802 * HOUR },
  // 2025 on the night shift: 365 nights' 10 wall hours; the short night's −1 h and the long night's +1 h cancel.
  {
    name: 'a year of nights',
    calendar: nightShift,
    from: '2024-12-31T23:00:00.000Z',
    to: '2025-12-31T23:00:00.000Z',
    seconds: 3650 * HOUR,
  },
  // 24/7 over 2025: 365 × 24 h.
  {
    name: '24/7, a year',
    calendar: ALWAYS_OPEN,
    from: '2025-01-01T00:00:00.000Z',
    to: '2026-01-01T00:00:00.000Z',
    seconds: 365 * 24 * HOUR,
  },
];

describe('addBusinessSeconds (hand-computed)', () => {
  it.each(addCases)('given $name, when $seconds s start at $start, then due at $due', ({ calendar, start, seconds, due }) => {
    expect(addBusinessSeconds(calendar, start, seconds)).toBe(due);
  });
});

describe('businessSecondsBetween (hand-computed)', () => {
  it.each(betweenCases)('given $name, when measuring $from → $to, then $seconds s', ({ calendar, from, to, seconds }) => {
    expect(businessSecondsBetween(calendar, from, to)).toBe(seconds);
  });
});

describe('phase clocks under holds (hand-computed)', () => {
  const run = (calendar: BusinessCalendar, start: string, target: number, holds: Array<[string, string | null]>): PhaseClock => {
    let clock = startPhaseClock(calendar, start, target);
    for (const [holdAt, resumeAt] of holds) {
      clock = holdPhaseClock(calendar, clock, holdAt);
      if (resumeAt !== null) clock = resumePhaseClock(calendar, clock, resumeAt);
    }
    return clock;
  };

  it('given a 4 h target from Tue 09:00 CEST (due 14:00), when held 10:00–16:00, then the 3 h left run 16–17 and Wed 09–11', () => {
    // Due 09–12 + 13–14 = 14:00 CEST; left at 10:00: 10–12 + 13–14 = 3 h; from 16:00: 1 h Tue, 2 h Wed → Wed 11:00 CEST.
    expect(run(office, '2025-06-17T07:00:00.000Z', 4 * HOUR, [['2025-06-17T08:00:00.000Z', '2025-06-17T14:00:00.000Z']])).toEqual({
      state: 'running',
      due: '2025-06-18T09:00:00.000Z',
    });
  });

  it('given a phase already late (due 10:00 CEST), when held at 11:00 and resumed, then it keeps its due', () => {
    // 1 h from 09:00 CEST is due 10:00 (08:00Z) < hold 09:00Z: it stays late at its due.
    expect(run(office, '2025-06-17T07:00:00.000Z', HOUR, [['2025-06-17T09:00:00.000Z', '2025-06-17T13:00:00.000Z']])).toEqual({
      state: 'running',
      due: '2025-06-17T08:00:00.000Z',
    });
  });

  it('given a hold at the due instant itself, when resumed at lunch, then due at the next opening', () => {
    // due ≥ h pauses with r = 0; add(12:30 CEST, 0) = 13:00 CEST.
    expect(run(office, '2025-06-17T07:00:00.000Z', HOUR, [['2025-06-17T08:00:00.000Z', '2025-06-17T10:30:00.000Z']])).toEqual({
      state: 'running',
      due: '2025-06-17T11:00:00.000Z',
    });
  });

  it('given the 24/7 calendar, when held 1.5 h, then the due moves 1.5 h', () => {
    // Due 07:00Z + 4 h = 11:00Z; the hold 08:00–09:30Z adds 1.5 h.
    expect(run(ALWAYS_OPEN, '2025-06-17T07:00:00.000Z', 4 * HOUR, [['2025-06-17T08:00:00.000Z', '2025-06-17T09:30:00.000Z']])).toEqual({
      state: 'running',
      due: '2025-06-17T12:30:00.000Z',
    });
  });

  it('given a hold not yet resumed, then the phase is paused with what it had left', () => {
    // Due 14:00 CEST; held at 13:30 CEST: 30 min left.
    expect(run(office, '2025-06-17T07:00:00.000Z', 4 * HOUR, [['2025-06-17T11:30:00.000Z', null]])).toEqual({
      state: 'paused',
      remainingSeconds: 1800,
    });
  });
});
