import { describe, expect, it } from '@jest/globals';
import type { TicketEvent } from '#ticketing';
import { claimed, closed, opened, putOnHold, released, reopened, responded, resumed, routed, surveyed } from '#ticketing/testing/events.js';
import { at } from '#ticketing/testing/time.js';
import { foldTicketHistory, ticketHistory } from '../tickets/ticket-history.js';
import { seriesHistory } from './apply-unit-day-events.js';
import { changesBetween, unitDayChanges, unitFirstStints, type UnitDayChange, type UnitDayMeasure } from './unit-day-changes.js';

/**
 * Given a ticket's events, then the changes it contributes to the daily series: `[unit,
 * measure, instant, bound, delta]`, where `≥` puts the change on the first end of day at or
 * after the instant and `>` on the first one strictly after it (the day containing it).
 */
type Expected = [unit: string, measure: UnitDayMeasure, offset: string, bound: '≥' | '>', delta: number];

function historyOf(events: TicketEvent[]) {
  const history = ticketHistory(events);
  if (!history) throw new Error('no events');
  return history;
}

function readable(changes: UnitDayChange[]): string[] {
  return changes.map((c) => `${c.unitId} ${c.measure} ${c.inclusive ? '≥' : '>'} ${c.at} ${c.delta > 0 ? '+' : ''}${c.delta}`).sort();
}

function given(...events: TicketEvent[]) {
  return {
    then(...expected: Expected[]): void {
      const actual = unitDayChanges(historyOf(events));
      const wanted = expected.map(([unitId, measure, offset, bound, delta]) => ({
        unitId,
        measure,
        at: at(offset),
        inclusive: bound === '≥',
        delta,
      }));
      expect(readable(actual)).toEqual(readable(wanted));
    },
  };
}

/** The aging of a ticket in the backlog at `unit` from T0 on (opened at T0), never leaving it. */
const agingFromT0 = (unit: string): Expected[] => [
  [unit, 'aged_lt1d', '0', '≥', 1],
  [unit, 'aged_lt1d', '1d', '≥', -1],
  [unit, 'aged_1to3d', '1d', '≥', 1],
  [unit, 'aged_1to3d', '3d', '≥', -1],
  [unit, 'aged_3to7d', '3d', '≥', 1],
  [unit, 'aged_3to7d', '7d', '≥', -1],
  [unit, 'aged_ge7d', '7d', '≥', 1],
];

describe('unitDayChanges: what one ticket contributes to the daily series', () => {
  it('a ticket still in its first pool: opened that day, in the backlog since, aging through every bucket, over target once due', () => {
    given(opened(at('0'), { unitId: 'front' })).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ...agingFromT0('front'),
      // resolution due 3 days after opening (the default policy); over target strictly after it
      ['front', 'over_target', '3d', '>', 1],
    );
  });

  it('a ticket claimed and closed the same morning: pool wait and assignment join into one span, closed by the holder’s unit', () => {
    given(
      opened(at('0'), { unitId: 'front' }),
      claimed(at('5m'), { userId: 'ayse', unitId: 'front' }),
      responded(at('1h'), { userId: 'ayse', solution: true }),
      closed(at('2h'), { userId: 'ayse', unitId: 'front' }),
      surveyed(at('3h')),
    ).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'closed', '2h', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ['front', 'backlog', '2h', '≥', -1],
      ['front', 'aged_lt1d', '0', '≥', 1],
      ['front', 'aged_lt1d', '2h', '≥', -1],
    );
  });

  it('a ticket opened and claimed at once on a call: the empty pool wait adds nothing', () => {
    given(
      opened(at('0'), { unitId: 'front' }),
      claimed(at('0'), { userId: 'ayse', unitId: 'front' }),
      closed(at('30m'), { userId: 'ayse', unitId: 'front' }),
    ).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'closed', '30m', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ['front', 'backlog', '30m', '≥', -1],
      ['front', 'aged_lt1d', '0', '≥', 1],
      ['front', 'aged_lt1d', '30m', '≥', -1],
    );
  });

  it('a routed ticket counts at the unit holding it: front until the route, billing from then on; its age runs on from the opening', () => {
    given(
      opened(at('0'), { unitId: 'front' }),
      routed(at('2d'), { fromUnitId: 'front', toUnitId: 'billing' }),
      claimed(at('2d 1h'), { userId: 'deniz', unitId: 'billing' }),
      closed(at('2d 5h'), { userId: 'deniz', unitId: 'billing' }),
    ).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ['front', 'backlog', '2d', '≥', -1],
      ['front', 'aged_lt1d', '0', '≥', 1],
      ['front', 'aged_lt1d', '1d', '≥', -1],
      ['front', 'aged_1to3d', '1d', '≥', 1],
      ['front', 'aged_1to3d', '2d', '≥', -1],
      ['billing', 'backlog', '2d', '≥', 1],
      ['billing', 'backlog', '2d 5h', '≥', -1],
      ['billing', 'aged_1to3d', '2d', '≥', 1],
      ['billing', 'aged_1to3d', '2d 5h', '≥', -1],
      ['billing', 'closed', '2d 5h', '>', 1],
    );
  });

  it('a release back to the pool keeps the ticket in the same unit’s backlog', () => {
    given(
      opened(at('0'), { unitId: 'front' }),
      claimed(at('10m'), { userId: 'ayse', unitId: 'front' }),
      released(at('1h'), { userId: 'ayse' }),
      claimed(at('2h'), { userId: 'emre', unitId: 'front' }),
      closed(at('3h'), { userId: 'emre', unitId: 'front' }),
    ).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'closed', '3h', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ['front', 'backlog', '3h', '≥', -1],
      ['front', 'aged_lt1d', '0', '≥', 1],
      ['front', 'aged_lt1d', '3h', '≥', -1],
    );
  });

  it('a due time passing on hold is not over target (the hold stopped the clock); the moved due time counts after the resume', () => {
    given(
      opened(at('0'), { unitId: 'front' }),
      claimed(at('5m'), { userId: 'ayse', unitId: 'front' }),
      putOnHold(at('2d'), 'ayse'),
      // three days on hold move the resolution due from 3d to 6d
      resumed(at('5d'), { userId: 'ayse', responseDueAt: null, resolutionDueAt: at('6d') }),
      closed(at('7d 1h'), { userId: 'ayse', unitId: 'front' }),
    ).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'closed', '7d 1h', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ['front', 'backlog', '7d 1h', '≥', -1],
      ...agingFromT0('front'),
      ['front', 'aged_ge7d', '7d 1h', '≥', -1],
      // not over target at 3d–5d (on hold, the clock stands at 2d); over target after the moved due, 6d
      ['front', 'over_target', '6d', '>', 1],
      ['front', 'over_target', '7d 1h', '≥', -1],
    );
  });

  it('a ticket still on hold whose due time passed during the hold is never over target', () => {
    given(opened(at('0'), { unitId: 'front' }), claimed(at('5m'), { userId: 'ayse', unitId: 'front' }), putOnHold(at('2d'), 'ayse')).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ...agingFromT0('front'),
    );
  });

  it('a hold that begins exactly at the due time pauses the phase: over target only after the moved due time', () => {
    given(
      opened(at('0'), { unitId: 'front' }),
      claimed(at('5m'), { userId: 'ayse', unitId: 'front' }),
      putOnHold(at('3d'), 'ayse'),
      resumed(at('4d'), { userId: 'ayse', responseDueAt: null, resolutionDueAt: at('4d') }),
    ).then(['front', 'opened', '0', '>', 1], ['front', 'backlog', '0', '≥', 1], ...agingFromT0('front'), [
      'front',
      'over_target',
      '4d',
      '>',
      1,
    ]);
  });

  it('a due time that passed before the hold keeps the ticket over target through the hold and after it', () => {
    given(
      opened(at('0'), { unitId: 'front' }),
      claimed(at('5m'), { userId: 'ayse', unitId: 'front' }),
      putOnHold(at('3d 1ms'), 'ayse'),
      resumed(at('5d'), { userId: 'ayse', responseDueAt: null, resolutionDueAt: at('3d') }),
      closed(at('6d'), { userId: 'ayse', unitId: 'front' }),
    ).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'closed', '6d', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ['front', 'backlog', '6d', '≥', -1],
      ['front', 'aged_lt1d', '0', '≥', 1],
      ['front', 'aged_lt1d', '1d', '≥', -1],
      ['front', 'aged_1to3d', '1d', '≥', 1],
      ['front', 'aged_1to3d', '3d', '≥', -1],
      ['front', 'aged_3to7d', '3d', '≥', 1],
      ['front', 'aged_3to7d', '6d', '≥', -1],
      ['front', 'over_target', '3d', '>', 1],
      ['front', 'over_target', '6d', '≥', -1],
    );
  });

  it('before a hold the due time is the one that hold recorded, not the one the resume moved later', () => {
    given(
      opened(at('0'), { unitId: 'front' }),
      claimed(at('5m'), { userId: 'ayse', unitId: 'front' }),
      putOnHold(at('4d'), 'ayse'),
      resumed(at('4d 1h'), { userId: 'ayse', responseDueAt: null, resolutionDueAt: at('3d') }),
    ).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ...agingFromT0('front'),
      // the due (3d) had passed before the hold, so the resume left it: over target from 3d on
      ['front', 'over_target', '3d', '>', 1],
    );
  });

  it('a ticket without a resolution target is never over target', () => {
    given(opened(at('0'), { unitId: 'front', resolutionDueAt: null })).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ...agingFromT0('front'),
    );
  });

  it('a reopened ticket is back in the backlog of the closing unit, aged from the original opening, with the new cycle’s due time', () => {
    given(
      opened(at('0'), { unitId: 'front' }),
      claimed(at('5m'), { userId: 'ayse', unitId: 'front' }),
      closed(at('1h'), { userId: 'ayse', unitId: 'front' }),
      reopened(at('2d'), { unitId: 'front' }),
      claimed(at('2d 1h'), { userId: 'ayse', unitId: 'front' }),
      closed(at('6d'), { userId: 'ayse', unitId: 'front' }),
    ).then(
      ['front', 'opened', '0', '>', 1],
      ['front', 'closed', '1h', '>', 1],
      ['front', 'closed', '6d', '>', 1],
      ['front', 'backlog', '0', '≥', 1],
      ['front', 'backlog', '1h', '≥', -1],
      ['front', 'backlog', '2d', '≥', 1],
      ['front', 'backlog', '6d', '≥', -1],
      ['front', 'aged_lt1d', '0', '≥', 1],
      ['front', 'aged_lt1d', '1h', '≥', -1],
      ['front', 'aged_1to3d', '2d', '≥', 1],
      ['front', 'aged_1to3d', '3d', '≥', -1],
      ['front', 'aged_3to7d', '3d', '≥', 1],
      ['front', 'aged_3to7d', '6d', '≥', -1],
      // the second cycle's resolution due is 3 days after the reopening
      ['front', 'over_target', '5d', '>', 1],
      ['front', 'over_target', '6d', '≥', -1],
    );
  });
});

describe('changesBetween: what a new event changes in the series', () => {
  it('a claim and close after an open ticket take back its open-ended future and add the close', () => {
    const open = [opened(at('0'), { unitId: 'front' })];
    const done = [...open, claimed(at('5m'), { userId: 'ayse', unitId: 'front' }), closed(at('2h'), { userId: 'ayse', unitId: 'front' })];
    const diff = changesBetween(unitDayChanges(historyOf(open)), unitDayChanges(historyOf(done)));
    const wanted: Expected[] = [
      ['front', 'closed', '2h', '>', 1],
      ['front', 'backlog', '2h', '≥', -1],
      ['front', 'aged_lt1d', '2h', '≥', -1],
      ['front', 'aged_lt1d', '1d', '≥', 1],
      ['front', 'aged_1to3d', '1d', '≥', -1],
      ['front', 'aged_1to3d', '3d', '≥', 1],
      ['front', 'aged_3to7d', '3d', '≥', -1],
      ['front', 'aged_3to7d', '7d', '≥', 1],
      ['front', 'aged_ge7d', '7d', '≥', -1],
      ['front', 'over_target', '3d', '>', -1],
    ];
    expect(readable(diff)).toEqual(
      readable(
        wanted.map(([unitId, measure, offset, bound, delta]) => ({ unitId, measure, at: at(offset), inclusive: bound === '≥', delta })),
      ),
    );
  });

  it('the same history on both sides changes nothing', () => {
    const history = historyOf([opened(at('0'), { unitId: 'front' }), routed(at('1h'), { fromUnitId: 'front', toUnitId: 'billing' })]);
    expect(changesBetween(unitDayChanges(history), unitDayChanges(history))).toEqual([]);
  });
});

describe('the stored history', () => {
  it('folding on from the stripped history gives the same changes as folding the whole stream', () => {
    const first: TicketEvent[] = [
      opened(at('0'), { unitId: 'front' }),
      claimed(at('5m'), { userId: 'ayse', unitId: 'front' }),
      responded(at('1h'), { userId: 'ayse' }),
    ];
    const later: TicketEvent[] = [
      putOnHold(at('1d'), 'ayse'),
      resumed(at('4d'), { userId: 'ayse', responseDueAt: null, resolutionDueAt: at('6d') }),
      routed(at('4d 1h'), { fromUnitId: 'front', toUnitId: 'field', userId: 'ayse' }),
    ];
    const whole = historyOf([...first, ...later]);
    const continued = later.reduce((h, event) => seriesHistory(foldTicketHistory(h, event)), seriesHistory(historyOf(first)));
    expect(continued.revision).toBe(whole.revision);
    expect(unitDayChanges(continued)).toEqual(unitDayChanges(whole));
  });
});

describe('unitFirstStints', () => {
  it('lists each unit the ticket had a stint with, at the start of the first one', () => {
    const history = historyOf([
      opened(at('0'), { unitId: 'front' }),
      routed(at('1h'), { fromUnitId: 'front', toUnitId: 'billing' }),
      routed(at('2h'), { fromUnitId: 'billing', toUnitId: 'front' }),
    ]);
    expect(unitFirstStints(history)).toEqual([
      { unitId: 'front', firstStintAt: at('0') },
      { unitId: 'billing', firstStintAt: at('1h') },
    ]);
  });
});
