import { describe, it } from '@jest/globals';
import { markDelayed } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, delayed, opened, putOnHold, responded, routed } from '../testing/events.js';
import { at } from '../testing/time.js';

/** The SLA watchdog's command: the open instance of a phase has passed its due time. */
describe('MarkTicketDelayed', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

  describe('claim', () => {
    it('past the claim due, records the delay of the pool wait: the pool unit, no user', () => {
      given(opened(at('0')))
        .when(markDelayed('claim'), at('30m 2s'))
        .then(delayed(at('30m 2s'), 'claim', { unitId: 'front', userId: null, dueAt: at('30m') }));
    });

    it('after a route, records the delay of the new pool against its own claim due', () => {
      given(opened(at('0')), routed(at('10m'), { fromUnitId: 'front', toUnitId: 'billing' }))
        .when(markDelayed('claim'), at('41m'))
        .then(delayed(at('41m'), 'claim', { unitId: 'billing', dueAt: at('40m') }));
    });

    it('rejects at exactly the claim due: PHASE_NOT_DUE', () => {
      given(opened(at('0')))
        .when(markDelayed('claim'), at('30m'))
        .thenRejects('PHASE_NOT_DUE');
    });

    it('rejects when nobody waits in a pool (the ticket is held): PHASE_NOT_DUE', () => {
      given(...held)
        .when(markDelayed('claim'), at('1h'))
        .thenRejects('PHASE_NOT_DUE');
    });

    it('rejects a pool wait without a claim due: PHASE_NOT_DUE', () => {
      given(opened(at('0'), { claimDueAt: null }))
        .when(markDelayed('claim'), at('1d'))
        .thenRejects('PHASE_NOT_DUE');
    });

    it('rejects a second delay for the same pool wait: PHASE_ALREADY_DELAYED', () => {
      given(opened(at('0')), delayed(at('31m'), 'claim', { unitId: 'front', dueAt: at('30m') }))
        .when(markDelayed('claim'), at('40m'))
        .thenRejects('PHASE_ALREADY_DELAYED');
    });
  });

  describe('response', () => {
    it('past the response due of an unanswered cycle, records the delay against the holder at the due time', () => {
      given(...held)
        .when(markDelayed('response'), at('4h 1s'))
        .then(delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }));
    });

    it('a ticket in a pool at the response due: the delay goes to that pool unit, with no user', () => {
      given(...held, routed(at('3h'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse' }))
        .when(markDelayed('response'), at('4h 1s'))
        .then(delayed(at('4h 1s'), 'response', { unitId: 'billing', userId: null, dueAt: at('4h') }));
    });

    it('rejects before the response due: PHASE_NOT_DUE', () => {
      given(...held)
        .when(markDelayed('response'), at('3h'))
        .thenRejects('PHASE_NOT_DUE');
    });

    it('rejects once the cycle was answered: PHASE_NOT_DUE', () => {
      given(...held, responded(at('1h'), { userId: 'ayse' }))
        .when(markDelayed('response'), at('5h'))
        .thenRejects('PHASE_NOT_DUE');
    });

    it('rejects while a hold that began before the due pauses the clock: PHASE_NOT_DUE', () => {
      given(...held, putOnHold(at('3h'), 'ayse'))
        .when(markDelayed('response'), at('5h'))
        .thenRejects('PHASE_NOT_DUE');
    });

    it('on hold that began after the due, the phase is delayed', () => {
      given(...held, putOnHold(at('4h 30m'), 'ayse'))
        .when(markDelayed('response'), at('5h'))
        .then(delayed(at('5h'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }));
    });

    it('rejects a second delay for the same cycle: PHASE_ALREADY_DELAYED', () => {
      given(...held, delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }))
        .when(markDelayed('response'), at('5h'))
        .thenRejects('PHASE_ALREADY_DELAYED');
    });

    it('rejects a cycle without a response due: PHASE_NOT_DUE', () => {
      given(opened(at('0'), { responseDueAt: null }))
        .when(markDelayed('response'), at('1d'))
        .thenRejects('PHASE_NOT_DUE');
    });
  });

  describe('resolution', () => {
    it('past the resolution due, records the delay against the holder at the due time', () => {
      given(...held, responded(at('1h'), { userId: 'ayse' }))
        .when(markDelayed('resolution'), at('3d 1s'))
        .then(delayed(at('3d 1s'), 'resolution', { unitId: 'front', userId: 'ayse', dueAt: at('3d') }));
    });

    it('rejects before the resolution due: PHASE_NOT_DUE', () => {
      given(...held)
        .when(markDelayed('resolution'), at('2d'))
        .thenRejects('PHASE_NOT_DUE');
    });

    it('rejects while a hold that began before the due pauses the clock: PHASE_NOT_DUE', () => {
      given(...held, responded(at('1h'), { userId: 'ayse' }), putOnHold(at('2h'), 'ayse'))
        .when(markDelayed('resolution'), at('4d'))
        .thenRejects('PHASE_NOT_DUE');
    });

    it('rejects a second delay for the same cycle: PHASE_ALREADY_DELAYED', () => {
      given(...held, delayed(at('3d 1s'), 'resolution', { unitId: 'front', userId: 'ayse', dueAt: at('3d') }))
        .when(markDelayed('resolution'), at('4d'))
        .thenRejects('PHASE_ALREADY_DELAYED');
    });
  });

  it('rejects any phase of a closed ticket: TICKET_CLOSED', () => {
    given(...held, closed(at('1h'), { userId: 'ayse', unitId: 'front' }))
      .when(markDelayed('resolution'), at('4d'))
      .thenRejects('TICKET_CLOSED');
  });
});
