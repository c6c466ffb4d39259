import { describe, it } from '@jest/globals';
import { respond } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, delayed, opened, putOnHold, responded, routed } from '../testing/events.js';
import { at } from '../testing/time.js';

describe('RespondToTicket', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

  it('the holder responds; the channel defaults to the ticket channel', () => {
    given(...held)
      .when(respond('ayse', { solution: true }), at('1h'))
      .then(responded(at('1h'), { userId: 'ayse', channel: 'phone', solution: true }));
  });

  it('records the channel the response went out on', () => {
    given(...held)
      .when(respond('ayse', { channel: 'email' }), at('1h'))
      .then(responded(at('1h'), { userId: 'ayse', channel: 'email', solution: false }));
  });

  it('a first response exactly at the response due is on time', () => {
    given(...held)
      .when(respond('ayse'), at('4h'))
      .then(responded(at('4h'), { userId: 'ayse' }));
  });

  it('a late first response writes the response delay first, attributed to the holder at the due time', () => {
    given(...held)
      .when(respond('ayse'), at('4h 1ms'))
      .then(
        delayed(at('4h 1ms'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }),
        responded(at('4h 1ms'), { userId: 'ayse' }),
      );
  });

  it('the late response delay goes to whoever held the ticket at the due time, not to the responder', () => {
    given(
      ...held,
      routed(at('5h'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse' }),
      claimed(at('5h 10m'), { userId: 'mehmet', unitId: 'billing' }),
    )
      .when(respond('mehmet'), at('5h 20m'))
      .then(
        delayed(at('5h 20m'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }),
        responded(at('5h 20m'), { userId: 'mehmet' }),
      );
  });

  it('a response due that passed while the ticket sat in another unit pool goes to that unit, with no user', () => {
    given(
      ...held,
      routed(at('3h'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse' }),
      claimed(at('5h'), { userId: 'mehmet', unitId: 'billing' }),
    )
      .when(respond('mehmet'), at('6h'))
      .then(delayed(at('6h'), 'response', { unitId: 'billing', userId: null, dueAt: at('4h') }), responded(at('6h'), { userId: 'mehmet' }));
  });

  it('does not write the response delay again when the watchdog already recorded it', () => {
    given(...held, delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }))
      .when(respond('ayse'), at('5h'))
      .then(responded(at('5h'), { userId: 'ayse' }));
  });

  it('a second response never writes a delay: the response phase ended with the first', () => {
    given(...held, responded(at('1h'), { userId: 'ayse' }))
      .when(respond('ayse'), at('5h'))
      .then(responded(at('5h'), { userId: 'ayse' }));
  });

  it('a cycle without a response due is never late', () => {
    given(opened(at('0'), { responseDueAt: null }), claimed(at('5m'), { userId: 'ayse', unitId: 'front' }))
      .when(respond('ayse'), at('2d'))
      .then(responded(at('2d'), { userId: 'ayse' }));
  });

  it('rejects a response by someone who does not hold the ticket: NOT_THE_HOLDER', () => {
    given(...held)
      .when(respond('mehmet'), at('1h'))
      .thenRejects('NOT_THE_HOLDER');
  });

  it('rejects a response to an unclaimed ticket: TICKET_NOT_CLAIMED', () => {
    given(opened(at('0')))
      .when(respond('ayse'), at('1h'))
      .thenRejects('TICKET_NOT_CLAIMED');
  });

  it('rejects a response while on hold: TICKET_ON_HOLD', () => {
    given(...held, putOnHold(at('10m'), 'ayse'))
      .when(respond('ayse'), at('1h'))
      .thenRejects('TICKET_ON_HOLD');
  });

  it('rejects a response to a closed ticket: TICKET_CLOSED', () => {
    given(...held, closed(at('30m'), { userId: 'ayse', unitId: 'front' }))
      .when(respond('ayse'), at('1h'))
      .thenRejects('TICKET_CLOSED');
  });
});
