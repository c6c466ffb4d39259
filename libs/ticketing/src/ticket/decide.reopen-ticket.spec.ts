import { describe, it } from '@jest/globals';
import { claim, reopen, respond } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, delayed, opened, reopened, responded, routed } from '../testing/events.js';
import { at } from '../testing/time.js';

describe('ReopenTicket', () => {
  const closedInBilling = [
    opened(at('0')),
    routed(at('10m'), { fromUnitId: 'front', toUnitId: 'billing' }),
    claimed(at('20m'), { userId: 'mehmet', unitId: 'billing' }),
    responded(at('1h'), { userId: 'mehmet' }),
    closed(at('2h'), { userId: 'mehmet', unitId: 'billing' }),
  ];

  it('reopens into the pool of the closing unit with a new cycle: claim, response and resolution due from now', () => {
    given(...closedInBilling)
      .when(reopen('mehmet', 'not fixed after all'), at('5d'))
      .then(
        reopened(at('5d'), {
          userId: 'mehmet',
          reason: 'not fixed after all',
          unitId: 'billing',
          claimDueAt: at('5d 30m'),
          responseDueAt: at('5d 4h'),
          resolutionDueAt: at('8d'),
        }),
      );
  });

  it('the calling service may reopen without naming a user', () => {
    given(...closedInBilling)
      .when(reopen(null), at('5d'))
      .then(reopened(at('5d'), { userId: null, unitId: 'billing' }));
  });

  it('the new cycle is judged afresh: its first response is late against the new response due', () => {
    given(...closedInBilling, reopened(at('5d'), { unitId: 'billing' }), claimed(at('5d 10m'), { userId: 'mehmet', unitId: 'billing' }))
      .when(respond('mehmet'), at('5d 5h'))
      .then(
        delayed(at('5d 5h'), 'response', { unitId: 'billing', userId: 'mehmet', dueAt: at('5d 4h') }),
        responded(at('5d 5h'), { userId: 'mehmet' }),
      );
  });

  it('the reopened pool wait is judged afresh: a late claim is delayed against the reopen claim due', () => {
    given(...closedInBilling, reopened(at('5d'), { unitId: 'billing' }))
      .when(claim('mehmet'), at('5d 1h'))
      .then(
        delayed(at('5d 1h'), 'claim', { unitId: 'billing', dueAt: at('5d 30m') }),
        claimed(at('5d 1h'), { userId: 'mehmet', unitId: 'billing' }),
      );
  });

  it('rejects reopening a ticket that is not closed: TICKET_NOT_CLOSED', () => {
    given(opened(at('0')))
      .when(reopen(), at('1h'))
      .thenRejects('TICKET_NOT_CLOSED');
  });

  it('rejects a blank reason: INVALID_COMMAND', () => {
    given(...closedInBilling)
      .when(reopen('mehmet', ''), at('5d'))
      .thenRejects('INVALID_COMMAND');
  });
});
