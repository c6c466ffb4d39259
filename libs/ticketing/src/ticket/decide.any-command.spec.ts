import { describe, it } from '@jest/globals';
import type { TicketCommand } from './commands.js';
import {
  claim,
  close,
  escalate,
  hold,
  markDelayed,
  reclassify,
  release,
  reopen,
  respond,
  resume,
  route,
  survey,
} from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, opened, responded } from '../testing/events.js';
import { at } from '../testing/time.js';

/** Rules every command on an existing ticket obeys, before its own. */

const onExistingTickets: Array<[string, TicketCommand]> = [
  ['RouteTicket', route('billing', { userId: 'ayse' })],
  ['ClaimTicket', claim('mehmet')],
  ['ReleaseTicket', release('ayse')],
  ['RespondToTicket', respond('ayse')],
  ['PutTicketOnHold', hold('ayse')],
  ['ResumeTicket', resume('ayse')],
  ['ReclassifyTicket', reclassify({ priority: 'urgent' })],
  ['EscalateTicket', escalate()],
  ['CloseTicket', close('ayse')],
  ['ReopenTicket', reopen()],
  ['SurveyTicket', survey()],
  ['MarkTicketDelayed', markDelayed('claim')],
];

const refusedWhenClosed = onExistingTickets.filter(([name]) => name !== 'ReopenTicket' && name !== 'SurveyTicket');

describe('any command on an existing ticket', () => {
  it.each(onExistingTickets)('%s on a ticket that does not exist is TICKET_NOT_FOUND (not_found)', (_name, command) => {
    given().when(command, at('1h')).thenRejects('TICKET_NOT_FOUND', 'not_found');
  });

  it.each(onExistingTickets)('%s at an instant before the ticket last event is OCCURRED_AT_BEFORE_LAST_EVENT', (_name, command) => {
    given(opened(at('0')), claimed(at('1h'), { userId: 'ayse', unitId: 'front' }))
      .when(command, at('59m 59s 999ms'))
      .thenRejects('OCCURRED_AT_BEFORE_LAST_EVENT');
  });

  it('a command at the same instant as the last event is accepted (time never goes backwards, it may stand still)', () => {
    given(opened(at('0')), claimed(at('1h'), { userId: 'ayse', unitId: 'front' }))
      .when(respond('ayse'), at('1h'))
      .then(responded(at('1h'), { userId: 'ayse' }));
  });

  it.each(refusedWhenClosed)('%s on a closed ticket is TICKET_CLOSED', (_name, command) => {
    given(opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' }), closed(at('1h'), { userId: 'ayse', unitId: 'front' }))
      .when(command, at('2h'))
      .thenRejects('TICKET_CLOSED');
  });
});
