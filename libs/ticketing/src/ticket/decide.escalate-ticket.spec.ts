import { describe, it } from '@jest/globals';
import { escalate } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, delayed, escalated, opened, putOnHold, routed } from '../testing/events.js';
import { at } from '../testing/time.js';

describe('EscalateTicket', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

  it('flags the ticket at level 1 by default, naming the user who escalated', () => {
    given(...held)
      .when(escalate({ userId: 'ayse', reason: 'angry customer' }), at('1h'))
      .then(escalated(at('1h'), { level: 1, reason: 'angry customer', by: 'ayse' }));
  });

  it('by default escalates one level above the current level', () => {
    given(...held, escalated(at('30m'), { level: 2 }))
      .when(escalate({ userId: 'ayse' }), at('1h'))
      .then(escalated(at('1h'), { level: 3, by: 'ayse' }));
  });

  it('may jump to an explicit higher level', () => {
    given(...held, escalated(at('30m'), { level: 1 }))
      .when(escalate({ userId: 'ayse', level: 3 }), at('1h'))
      .then(escalated(at('1h'), { level: 3, by: 'ayse' }));
  });

  it('without a user the escalation is by the system', () => {
    given(...held)
      .when(escalate(), at('1h'))
      .then(escalated(at('1h'), { level: 1, by: 'system' }));
  });

  it('rejects an explicit level that is not above the current one: ESCALATION_LEVEL_NOT_HIGHER', () => {
    given(...held, escalated(at('30m'), { level: 2 }))
      .when(escalate({ level: 2 }), at('1h'))
      .thenRejects('ESCALATION_LEVEL_NOT_HIGHER');
  });

  it('rejects a level below 1: INVALID_COMMAND', () => {
    given(...held)
      .when(escalate({ level: 0 }), at('1h'))
      .thenRejects('INVALID_COMMAND');
  });

  it('with a target unit it also routes an unclaimed ticket there, in the same command', () => {
    given(opened(at('0')))
      .when(escalate({ reason: 'outage', toUnitId: 'field' }), at('10m'))
      .then(
        escalated(at('10m'), { level: 1, reason: 'outage', by: 'system', toUnitId: 'field' }),
        routed(at('10m'), { fromUnitId: 'front', toUnitId: 'field', reason: 'escalated: outage', userId: null, claimDueAt: at('40m') }),
      );
  });

  it('with a target unit it moves a held ticket away from its holder; the route names the holder', () => {
    given(...held)
      .when(escalate({ reason: 'outage', toUnitId: 'field' }), at('1h'))
      .then(
        escalated(at('1h'), { level: 1, reason: 'outage', by: 'system', toUnitId: 'field' }),
        routed(at('1h'), { fromUnitId: 'front', toUnitId: 'field', reason: 'escalated: outage', userId: 'ayse', claimDueAt: at('1h 30m') }),
      );
  });

  it('moving a ticket out of a pool past its claim due writes that claim delay before the route', () => {
    given(opened(at('0')))
      .when(escalate({ reason: 'outage', toUnitId: 'field' }), at('1h'))
      .then(
        escalated(at('1h'), { level: 1, reason: 'outage', by: 'system', toUnitId: 'field' }),
        delayed(at('1h'), 'claim', { unitId: 'front', dueAt: at('30m') }),
        routed(at('1h'), { fromUnitId: 'front', toUnitId: 'field', reason: 'escalated: outage', claimDueAt: at('1h 30m') }),
      );
  });

  it('rejects moving the ticket to the unit it is with: ROUTE_TO_SAME_UNIT', () => {
    given(...held)
      .when(escalate({ toUnitId: 'front' }), at('1h'))
      .thenRejects('ROUTE_TO_SAME_UNIT');
  });

  it('rejects moving a ticket on hold: TICKET_ON_HOLD', () => {
    given(...held, putOnHold(at('30m'), 'ayse'))
      .when(escalate({ toUnitId: 'field' }), at('1h'))
      .thenRejects('TICKET_ON_HOLD');
  });

  it('rejects escalating a closed ticket: TICKET_CLOSED', () => {
    given(...held, closed(at('30m'), { userId: 'ayse', unitId: 'front' }))
      .when(escalate(), at('1h'))
      .thenRejects('TICKET_CLOSED');
  });
});
