import { describe, it } from '@jest/globals';
import { claim } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, delayed, opened, putOnHold, released, routed } from '../testing/events.js';
import { at } from '../testing/time.js';

describe('ClaimTicket', () => {
  it('a user self-claims an unclaimed ticket from the pool of its unit', () => {
    given(opened(at('0')))
      .when(claim('ayse'), at('10m'))
      .then(claimed(at('10m'), { userId: 'ayse', unitId: 'front', assignedBy: null }));
  });

  it('a claim after a route takes the ticket in the new unit', () => {
    given(opened(at('0')), routed(at('5m'), { fromUnitId: 'front', toUnitId: 'billing' }))
      .when(claim('mehmet'), at('10m'))
      .then(claimed(at('10m'), { userId: 'mehmet', unitId: 'billing' }));
  });

  it('a supervisor assigns an unclaimed ticket: one claim naming the supervisor', () => {
    given(opened(at('0')))
      .when(claim('ayse', 'supervisor-1'), at('10m'))
      .then(claimed(at('10m'), { userId: 'ayse', unitId: 'front', assignedBy: 'supervisor-1' }));
  });

  it('a late claim writes the claim delay first: the pool unit, no user, the claim due', () => {
    given(opened(at('0')))
      .when(claim('ayse'), at('50m'))
      .then(
        delayed(at('50m'), 'claim', { unitId: 'front', userId: null, dueAt: at('30m') }),
        claimed(at('50m'), { userId: 'ayse', unitId: 'front' }),
      );
  });

  it('a late claim after a route is delayed against the new pool and its own claim due', () => {
    given(opened(at('0')), routed(at('10m'), { fromUnitId: 'front', toUnitId: 'billing' }))
      .when(claim('mehmet'), at('1h'))
      .then(
        delayed(at('1h'), 'claim', { unitId: 'billing', userId: null, dueAt: at('40m') }),
        claimed(at('1h'), { userId: 'mehmet', unitId: 'billing' }),
      );
  });

  it('a late claim does not write the delay again when the watchdog already recorded it', () => {
    given(opened(at('0')), delayed(at('30m 1s'), 'claim', { unitId: 'front', dueAt: at('30m') }))
      .when(claim('ayse'), at('50m'))
      .then(claimed(at('50m'), { userId: 'ayse', unitId: 'front' }));
  });

  it('a release starts a new pool wait, undelayed, with its own claim due', () => {
    given(
      opened(at('0')),
      delayed(at('30m 1s'), 'claim', { unitId: 'front', dueAt: at('30m') }),
      claimed(at('40m'), { userId: 'ayse', unitId: 'front' }),
      released(at('1h'), { userId: 'ayse' }),
    )
      .when(claim('mehmet'), at('2h'))
      .then(
        delayed(at('2h'), 'claim', { unitId: 'front', userId: null, dueAt: at('1h 30m') }),
        claimed(at('2h'), { userId: 'mehmet', unitId: 'front' }),
      );
  });

  it('a claim exactly at the claim due is on time', () => {
    given(opened(at('0')))
      .when(claim('ayse'), at('30m'))
      .then(claimed(at('30m'), { userId: 'ayse', unitId: 'front' }));
  });

  it('a pool wait without a claim due is never late', () => {
    given(opened(at('0'), { claimDueAt: null }))
      .when(claim('ayse'), at('5d'))
      .then(claimed(at('5d'), { userId: 'ayse', unitId: 'front' }));
  });

  it('rejects the loser of a race for a pool ticket: TICKET_ALREADY_CLAIMED (conflict)', () => {
    given(opened(at('0')), claimed(at('10m'), { userId: 'ayse', unitId: 'front' }))
      .when(claim('mehmet'), at('10m'))
      .thenRejects('TICKET_ALREADY_CLAIMED', 'conflict');
  });

  it('rejects a claim by the holder again: TICKET_ALREADY_CLAIMED', () => {
    given(opened(at('0')), claimed(at('10m'), { userId: 'ayse', unitId: 'front' }))
      .when(claim('ayse'), at('20m'))
      .thenRejects('TICKET_ALREADY_CLAIMED', 'conflict');
  });

  it('a supervisor reassigns a held ticket: the holder is released and the new user claims, at once', () => {
    given(opened(at('0')), claimed(at('10m'), { userId: 'ayse', unitId: 'front' }))
      .when(claim('mehmet', 'supervisor-1'), at('1h'))
      .then(
        released(at('1h'), { userId: 'ayse', reason: 'reassigned to mehmet by supervisor-1', claimDueAt: at('1h 30m') }),
        claimed(at('1h'), { userId: 'mehmet', unitId: 'front', assignedBy: 'supervisor-1' }),
      );
  });

  it('rejects a supervisor reassignment to the current holder: TICKET_ALREADY_CLAIMED', () => {
    given(opened(at('0')), claimed(at('10m'), { userId: 'ayse', unitId: 'front' }))
      .when(claim('ayse', 'supervisor-1'), at('1h'))
      .thenRejects('TICKET_ALREADY_CLAIMED', 'conflict');
  });

  it('rejects a reassignment while the ticket is on hold: TICKET_ON_HOLD', () => {
    given(opened(at('0')), claimed(at('10m'), { userId: 'ayse', unitId: 'front' }), putOnHold(at('20m'), 'ayse'))
      .when(claim('mehmet', 'supervisor-1'), at('1h'))
      .thenRejects('TICKET_ON_HOLD');
  });

  it('rejects a claim of a closed ticket: TICKET_CLOSED', () => {
    given(opened(at('0')), closed(at('10m'), { userId: null, unitId: 'front', resolution: 'duplicate' }))
      .when(claim('ayse'), at('1h'))
      .thenRejects('TICKET_CLOSED');
  });

  it('rejects a blank user: INVALID_COMMAND', () => {
    given(opened(at('0')))
      .when(claim(''), at('10m'))
      .thenRejects('INVALID_COMMAND');
  });
});
