import { describe, it } from '@jest/globals';
import { release } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, opened, putOnHold, released } from '../testing/events.js';
import { at } from '../testing/time.js';

describe('ReleaseTicket', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

  it('the holder releases the ticket back to the pool with a new claim due', () => {
    given(...held)
      .when(release('ayse', 'end of shift'), at('1h'))
      .then(released(at('1h'), { userId: 'ayse', reason: 'end of shift', claimDueAt: at('1h 30m') }));
  });

  it('rejects a release by someone who does not hold the ticket: NOT_THE_HOLDER', () => {
    given(...held)
      .when(release('mehmet'), at('1h'))
      .thenRejects('NOT_THE_HOLDER');
  });

  it('rejects a release of an unclaimed ticket: TICKET_NOT_CLAIMED', () => {
    given(opened(at('0')))
      .when(release('ayse'), at('1h'))
      .thenRejects('TICKET_NOT_CLAIMED');
  });

  it('rejects a release while on hold (a hold ends with resume or close): TICKET_ON_HOLD', () => {
    given(...held, putOnHold(at('10m'), 'ayse'))
      .when(release('ayse'), at('1h'))
      .thenRejects('TICKET_ON_HOLD');
  });

  it('rejects a release of a closed ticket: TICKET_CLOSED', () => {
    given(...held, closed(at('30m'), { userId: 'ayse', unitId: 'front' }))
      .when(release('ayse'), at('1h'))
      .thenRejects('TICKET_CLOSED');
  });

  it('rejects a blank reason: INVALID_COMMAND', () => {
    given(...held)
      .when(release('ayse', ''), at('1h'))
      .thenRejects('INVALID_COMMAND');
  });
});
