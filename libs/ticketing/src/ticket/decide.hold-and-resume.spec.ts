import { describe, it } from '@jest/globals';
import { hold, respond, resume } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, delayed, opened, putOnHold, responded, resumed, routed } from '../testing/events.js';
import { at } from '../testing/time.js';

const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

describe('PutTicketOnHold', () => {
  it('the holder puts the ticket on hold with a reason', () => {
    given(...held)
      .when(hold('ayse', 'awaiting invoice copy'), at('1h'))
      .then(putOnHold(at('1h'), 'ayse', 'awaiting invoice copy'));
  });

  it('rejects a hold of a ticket already on hold: TICKET_ON_HOLD', () => {
    given(...held, putOnHold(at('1h'), 'ayse'))
      .when(hold('ayse'), at('2h'))
      .thenRejects('TICKET_ON_HOLD');
  });

  it('rejects a hold by someone who does not hold the ticket: NOT_THE_HOLDER', () => {
    given(...held)
      .when(hold('mehmet'), at('1h'))
      .thenRejects('NOT_THE_HOLDER');
  });

  it('rejects a hold of an unclaimed ticket (a hold needs a holder): TICKET_NOT_CLAIMED', () => {
    given(opened(at('0')))
      .when(hold('ayse'), at('1h'))
      .thenRejects('TICKET_NOT_CLAIMED');
  });

  it('rejects a hold of a closed ticket: TICKET_CLOSED', () => {
    given(...held, closed(at('30m'), { userId: 'ayse', unitId: 'front' }))
      .when(hold('ayse'), at('1h'))
      .thenRejects('TICKET_CLOSED');
  });

  it('rejects a blank reason: INVALID_COMMAND', () => {
    given(...held)
      .when(hold('ayse', ' '), at('1h'))
      .thenRejects('INVALID_COMMAND');
  });
});

describe('ResumeTicket', () => {
  it('moves the response due (still unanswered) and the resolution due by the time on hold', () => {
    given(...held, putOnHold(at('1h'), 'ayse'))
      .when(resume('ayse'), at('3h'))
      .then(resumed(at('3h'), { userId: 'ayse', responseDueAt: at('6h'), resolutionDueAt: at('3d 2h') }));
  });

  it('leaves the response due alone once the cycle was answered; the resolution due still moves', () => {
    given(...held, responded(at('30m'), { userId: 'ayse' }), putOnHold(at('1h'), 'ayse'))
      .when(resume('ayse'), at('3h'))
      .then(resumed(at('3h'), { userId: 'ayse', responseDueAt: at('4h'), resolutionDueAt: at('3d 2h') }));
  });

  it('moves the due times recorded by the previous resume, so holds add up', () => {
    given(
      ...held,
      putOnHold(at('1h'), 'ayse'),
      resumed(at('2h'), { userId: 'ayse', responseDueAt: at('5h'), resolutionDueAt: at('3d 1h') }),
      putOnHold(at('3h'), 'ayse'),
    )
      .when(resume('ayse'), at('4h 30m'))
      .then(resumed(at('4h 30m'), { userId: 'ayse', responseDueAt: at('6h 30m'), resolutionDueAt: at('3d 2h 30m') }));
  });

  it('keeps a null due time null', () => {
    given(
      opened(at('0'), { responseDueAt: null, resolutionDueAt: null }),
      claimed(at('5m'), { userId: 'ayse', unitId: 'front' }),
      putOnHold(at('1h'), 'ayse'),
    )
      .when(resume('ayse'), at('3h'))
      .then(resumed(at('3h'), { userId: 'ayse', responseDueAt: null, resolutionDueAt: null }));
  });

  it('keeps a due time that had already passed when the hold began: the phase was late from then on', () => {
    given(...held, putOnHold(at('5h'), 'ayse'))
      .when(resume('ayse'), at('6h'))
      .then(resumed(at('6h'), { userId: 'ayse', responseDueAt: at('4h'), resolutionDueAt: at('3d 1h') }));
  });

  it('so a late response after such a hold is still attributed to the holder at the original due time', () => {
    given(
      ...held,
      routed(at('4h 10m'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse' }),
      claimed(at('4h 20m'), { userId: 'mehmet', unitId: 'billing' }),
      putOnHold(at('4h 30m'), 'mehmet'),
      resumed(at('5h'), { userId: 'mehmet', responseDueAt: at('4h'), resolutionDueAt: at('3d 30m') }),
    )
      .when(respond('mehmet'), at('5h 10m'))
      .then(
        delayed(at('5h 10m'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }),
        responded(at('5h 10m'), { userId: 'mehmet' }),
      );
  });

  it('moves a due time the hold began exactly at (not yet late then)', () => {
    given(...held, putOnHold(at('4h'), 'ayse'))
      .when(resume('ayse'), at('5h'))
      .then(resumed(at('5h'), { userId: 'ayse', responseDueAt: at('5h'), resolutionDueAt: at('3d 1h') }));
  });

  it('a response within the moved due is on time: hold paused the response clock', () => {
    given(
      ...held,
      putOnHold(at('1h'), 'ayse'),
      resumed(at('3h'), { userId: 'ayse', responseDueAt: at('6h'), resolutionDueAt: at('3d 2h') }),
    )
      .when(respond('ayse'), at('5h'))
      .then(responded(at('5h'), { userId: 'ayse' }));
  });

  it('a response after the moved due is late against the moved due', () => {
    given(
      ...held,
      putOnHold(at('1h'), 'ayse'),
      resumed(at('3h'), { userId: 'ayse', responseDueAt: at('6h'), resolutionDueAt: at('3d 2h') }),
    )
      .when(respond('ayse'), at('7h'))
      .then(delayed(at('7h'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('6h') }), responded(at('7h'), { userId: 'ayse' }));
  });

  it('rejects a resume of a ticket that is not on hold: TICKET_NOT_ON_HOLD', () => {
    given(...held)
      .when(resume('ayse'), at('1h'))
      .thenRejects('TICKET_NOT_ON_HOLD');
  });

  it('rejects a resume by someone who does not hold the ticket: NOT_THE_HOLDER', () => {
    given(...held, putOnHold(at('1h'), 'ayse'))
      .when(resume('mehmet'), at('2h'))
      .thenRejects('NOT_THE_HOLDER');
  });

  it('rejects a resume of a closed ticket: TICKET_CLOSED', () => {
    given(...held, putOnHold(at('1h'), 'ayse'), closed(at('2h'), { userId: 'ayse', unitId: 'front' }))
      .when(resume('ayse'), at('3h'))
      .thenRejects('TICKET_CLOSED');
  });
});
