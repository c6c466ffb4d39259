import { describe, it } from '@jest/globals';
import { testSla } from '../testing/sla.js';
import { route } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, delayed, opened, putOnHold, routed } from '../testing/events.js';
import { at } from '../testing/time.js';

describe('RouteTicket', () => {
  it('triage: the calling service routes an unclaimed ticket into another unit pool with a new claim due', () => {
    given(opened(at('0')))
      .when(route('billing', { reason: 'billing question' }), at('10m'))
      .then(
        routed(at('10m'), { fromUnitId: 'front', toUnitId: 'billing', reason: 'billing question', userId: null, claimDueAt: at('40m') }),
      );
  });

  it('the holder routes a held ticket; the route names the holder', () => {
    given(opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' }))
      .when(route('billing', { userId: 'ayse' }), at('1h'))
      .then(routed(at('1h'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse', claimDueAt: at('1h 30m') }));
  });

  it('takes the new claim due from the policy for the ticket', () => {
    const tenMinutes = testSla(() => ({ claimSeconds: 600, responseSeconds: null, resolutionSeconds: null }));
    given(opened(at('0')))
      .when(route('billing'), at('10m'), { sla: tenMinutes })
      .then(
        routed(at('10m'), {
          fromUnitId: 'front',
          toUnitId: 'billing',
          claimClock: { targetSeconds: 600, calendarId: '24x7@1' },
          claimDueAt: at('20m'),
        }),
      );
  });

  it('a route away from the pool after its claim due writes the claim delay of that pool first', () => {
    given(opened(at('0')))
      .when(route('billing'), at('45m'))
      .then(
        delayed(at('45m'), 'claim', { unitId: 'front', userId: null, dueAt: at('30m') }),
        routed(at('45m'), { fromUnitId: 'front', toUnitId: 'billing', claimDueAt: at('1h 15m') }),
      );
  });

  it('a route exactly at the claim due is not late (late means strictly after)', () => {
    given(opened(at('0')))
      .when(route('billing'), at('30m'))
      .then(routed(at('30m'), { fromUnitId: 'front', toUnitId: 'billing', claimDueAt: at('1h') }));
  });

  it('does not write the claim delay again when the watchdog already recorded it', () => {
    given(opened(at('0')), delayed(at('30m 2s'), 'claim', { unitId: 'front', dueAt: at('30m') }))
      .when(route('billing'), at('45m'))
      .then(routed(at('45m'), { fromUnitId: 'front', toUnitId: 'billing', claimDueAt: at('1h 15m') }));
  });

  it('rejects a route of a held ticket by someone else: NOT_THE_HOLDER', () => {
    given(opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' }))
      .when(route('billing', { userId: 'mehmet' }), at('1h'))
      .thenRejects('NOT_THE_HOLDER');
  });

  it('rejects a route of a held ticket that names no user: USER_REQUIRED', () => {
    given(opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' }))
      .when(route('billing'), at('1h'))
      .thenRejects('USER_REQUIRED');
  });

  it('rejects a route to the unit that already has the ticket: ROUTE_TO_SAME_UNIT', () => {
    given(opened(at('0')))
      .when(route('front'), at('10m'))
      .thenRejects('ROUTE_TO_SAME_UNIT');
  });

  it('rejects a route of a ticket on hold: TICKET_ON_HOLD', () => {
    given(opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' }), putOnHold(at('10m'), 'ayse'))
      .when(route('billing', { userId: 'ayse' }), at('1h'))
      .thenRejects('TICKET_ON_HOLD');
  });

  it('rejects a route of a closed ticket: TICKET_CLOSED', () => {
    given(opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' }), closed(at('1h'), { userId: 'ayse', unitId: 'front' }))
      .when(route('billing'), at('2h'))
      .thenRejects('TICKET_CLOSED');
  });

  it('rejects a blank target unit: INVALID_COMMAND', () => {
    given(opened(at('0')))
      .when(route(''), at('10m'))
      .thenRejects('INVALID_COMMAND');
  });
});
