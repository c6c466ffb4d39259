import { describe, it } from '@jest/globals';
import { survey } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, opened, reopened, surveyed } from '../testing/events.js';
import { at } from '../testing/time.js';

describe('SurveyTicket', () => {
  const closedOnce = [
    opened(at('0')),
    claimed(at('5m'), { userId: 'ayse', unitId: 'front' }),
    closed(at('1h'), { userId: 'ayse', unitId: 'front' }),
  ];

  it('rates the most recent close', () => {
    given(...closedOnce)
      .when(survey({ score: 4, resolved: true, resolvedOnFirstContact: false, channel: 'ivr', comment: 'quick' }), at('1d'))
      .then(surveyed(at('1d'), { score: 4, resolved: true, resolvedOnFirstContact: false, channel: 'ivr', comment: 'quick' }));
  });

  it('records unanswered questions and no comment as null', () => {
    given(...closedOnce)
      .when({ type: 'SurveyTicket', data: { score: 2, channel: 'sms' } }, at('1d'))
      .then(surveyed(at('1d'), { score: 2, resolved: null, resolvedOnFirstContact: null, channel: 'sms', comment: null }));
  });

  it('rejects a second survey of the same close: CLOSE_ALREADY_SURVEYED', () => {
    given(...closedOnce, surveyed(at('1d')))
      .when(survey(), at('2d'))
      .thenRejects('CLOSE_ALREADY_SURVEYED');
  });

  it('is allowed after a reopen when the close before it was not surveyed', () => {
    given(...closedOnce, reopened(at('5h'), { unitId: 'front' }))
      .when(survey({ score: 1 }), at('1d'))
      .then(surveyed(at('1d'), { score: 1 }));
  });

  it('rejects a survey after a reopen when the close before it was already surveyed: CLOSE_ALREADY_SURVEYED', () => {
    given(...closedOnce, surveyed(at('2h')), reopened(at('5h'), { unitId: 'front' }))
      .when(survey(), at('1d'))
      .thenRejects('CLOSE_ALREADY_SURVEYED');
  });

  it('a new close may be surveyed even though an earlier close was', () => {
    given(
      ...closedOnce,
      surveyed(at('2h')),
      reopened(at('5h'), { unitId: 'front' }),
      claimed(at('6h'), { userId: 'ayse', unitId: 'front' }),
      closed(at('7h'), { userId: 'ayse', unitId: 'front' }),
    )
      .when(survey({ score: 3 }), at('1d'))
      .then(surveyed(at('1d'), { score: 3 }));
  });

  it('rejects a survey of a ticket never closed: TICKET_NEVER_CLOSED', () => {
    given(opened(at('0')))
      .when(survey(), at('1d'))
      .thenRejects('TICKET_NEVER_CLOSED');
  });

  it.each([0, 6, 3.5])('rejects the score %p (an integer from 1 to 5): INVALID_COMMAND', (score) => {
    given(...closedOnce)
      .when(survey({ score }), at('1d'))
      .thenRejects('INVALID_COMMAND');
  });
});
