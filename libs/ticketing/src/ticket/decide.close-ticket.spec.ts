import { describe, it } from '@jest/globals';
import { close } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, delayed, opened, putOnHold, responded, routed } from '../testing/events.js';
import { at } from '../testing/time.js';

describe('CloseTicket', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];
  const answered = [...held, responded(at('1h'), { userId: 'ayse', solution: true })];

  it('the holder closes the ticket in its unit with a resolution and whether the request was met', () => {
    given(...answered)
      .when(close('ayse', { resolution: 'not_resolved', requestMet: false }), at('2h'))
      .then(closed(at('2h'), { userId: 'ayse', unitId: 'front', resolution: 'not_resolved', requestMet: false }));
  });

  it('a ticket is closed in the unit that has it', () => {
    given(
      ...answered,
      routed(at('2h'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse' }),
      claimed(at('2h 10m'), { userId: 'mehmet', unitId: 'billing' }),
    )
      .when(close('mehmet'), at('3h'))
      .then(closed(at('3h'), { userId: 'mehmet', unitId: 'billing' }));
  });

  it('rejects a close of a held ticket that names no user: USER_REQUIRED', () => {
    given(...answered)
      .when(close(null), at('2h'))
      .thenRejects('USER_REQUIRED');
  });

  it('rejects a close of a held ticket by someone else: NOT_THE_HOLDER', () => {
    given(...answered)
      .when(close('mehmet'), at('2h'))
      .thenRejects('NOT_THE_HOLDER');
  });

  it('the calling service closes an unclaimed ticket from the pool (e.g. a duplicate), naming no user', () => {
    given(opened(at('0')))
      .when(close(null, { resolution: 'duplicate', requestMet: false }), at('10m'))
      .then(closed(at('10m'), { userId: null, unitId: 'front', resolution: 'duplicate', requestMet: false }));
  });

  it('closing from the pool after its claim due writes the claim delay of that pool wait first', () => {
    given(opened(at('0')))
      .when(close(null, { resolution: 'duplicate' }), at('1h'))
      .then(
        delayed(at('1h'), 'claim', { unitId: 'front', dueAt: at('30m') }),
        closed(at('1h'), { userId: null, unitId: 'front', resolution: 'duplicate' }),
      );
  });

  it('closing unanswered after the response due completes the response phase late', () => {
    given(...held)
      .when(close('ayse'), at('5h'))
      .then(
        delayed(at('5h'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }),
        closed(at('5h'), { userId: 'ayse', unitId: 'front' }),
      );
  });

  it('closing unanswered after both due times writes the response then the resolution delay', () => {
    given(...held)
      .when(close('ayse'), at('4d'))
      .then(
        delayed(at('4d'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }),
        delayed(at('4d'), 'resolution', { unitId: 'front', userId: 'ayse', dueAt: at('3d') }),
        closed(at('4d'), { userId: 'ayse', unitId: 'front' }),
      );
  });

  it('closing an answered ticket after the resolution due writes only the resolution delay', () => {
    given(...answered)
      .when(close('ayse'), at('3d 1ms'))
      .then(
        delayed(at('3d 1ms'), 'resolution', { unitId: 'front', userId: 'ayse', dueAt: at('3d') }),
        closed(at('3d 1ms'), { userId: 'ayse', unitId: 'front' }),
      );
  });

  it('closing exactly at the resolution due is on time', () => {
    given(...answered)
      .when(close('ayse'), at('3d'))
      .then(closed(at('3d'), { userId: 'ayse', unitId: 'front' }));
  });

  it('closing from the pool late on every phase: claim to the pool, response and resolution to the pool unit with no user', () => {
    given(opened(at('0')))
      .when(close(null, { resolution: 'cancelled', requestMet: false }), at('4d'))
      .then(
        delayed(at('4d'), 'claim', { unitId: 'front', dueAt: at('30m') }),
        delayed(at('4d'), 'response', { unitId: 'front', userId: null, dueAt: at('4h') }),
        delayed(at('4d'), 'resolution', { unitId: 'front', userId: null, dueAt: at('3d') }),
        closed(at('4d'), { userId: null, unitId: 'front', resolution: 'cancelled', requestMet: false }),
      );
  });

  it('does not write delays the watchdog already recorded', () => {
    given(
      ...held,
      delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }),
      delayed(at('3d 1s'), 'resolution', { unitId: 'front', userId: 'ayse', dueAt: at('3d') }),
    )
      .when(close('ayse'), at('4d'))
      .then(closed(at('4d'), { userId: 'ayse', unitId: 'front' }));
  });

  it('closing on hold: a hold that began before the due times froze the clocks, so nothing is late', () => {
    given(...held, putOnHold(at('1h'), 'ayse'))
      .when(close('ayse', { resolution: 'not_resolved' }), at('5d'))
      .then(closed(at('5d'), { userId: 'ayse', unitId: 'front', resolution: 'not_resolved' }));
  });

  it('closing on hold: a hold that began after a due time leaves that phase late, attributed at the due time', () => {
    given(...held, putOnHold(at('5h'), 'ayse'))
      .when(close('ayse'), at('5d'))
      .then(
        delayed(at('5d'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }),
        closed(at('5d'), { userId: 'ayse', unitId: 'front' }),
      );
  });

  it('rejects closing a closed ticket: TICKET_CLOSED', () => {
    given(...answered, closed(at('2h'), { userId: 'ayse', unitId: 'front' }))
      .when(close('ayse'), at('3h'))
      .thenRejects('TICKET_CLOSED');
  });
});
