import { describe, it } from '@jest/globals';
import { termsOf, testSla, type TestTargets } from '../testing/sla.js';
import { open } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, opened } from '../testing/events.js';
import { at } from '../testing/time.js';

describe('OpenTicket', () => {
  it('opens the ticket into the unit pool with claim, response and resolution due from the default policy', () => {
    given()
      .when(open(), at('0'))
      .then(
        opened(at('0'), {
          claimDueAt: at('30m'),
          responseDueAt: at('4h'),
          resolutionDueAt: at('3d'),
          calendarId: '24x7@1',
        }),
      );
  });

  it('records the optional customer tier and product, or null when not given', () => {
    given()
      .when(open({ customerTier: 'gold', product: 'fibre-100' }), at('0'))
      .then(opened(at('0'), { customerTier: 'gold', product: 'fibre-100' }));
  });

  it('opened on a call and taken at once: TicketOpened then a self-claim at the same instant', () => {
    given()
      .when(open({ claimBy: 'ayse' }), at('0'))
      .then(opened(at('0')), claimed(at('0'), { userId: 'ayse', unitId: 'front', assignedBy: null }));
  });

  it('takes the due times from the policy the context names', () => {
    const fast: TestTargets = { claimSeconds: 60, responseSeconds: 600, resolutionSeconds: 3600 };
    given()
      .when(open(), at('0'), { sla: testSla(() => fast) })
      .then(opened(at('0'), { ...termsOf(fast), claimDueAt: at('1m'), responseDueAt: at('10m'), resolutionDueAt: at('1h') }));
  });

  it('a policy target of null gives a null due time (no target)', () => {
    const noTargets: TestTargets = { claimSeconds: null, responseSeconds: null, resolutionSeconds: null };
    given()
      .when(open(), at('0'), { sla: testSla(() => noTargets) })
      .then(opened(at('0'), { ...termsOf(noTargets), claimDueAt: null, responseDueAt: null, resolutionDueAt: null }));
  });

  it('asks the policy with the ticket category, priority, channel and customer tier', () => {
    const matched: TestTargets = { claimSeconds: 300, responseSeconds: 3600, resolutionSeconds: 86400 };
    const byKey = testSla((key) =>
      key.priority === 'urgent' &&
      key.channel === 'email' &&
      key.customerTier === 'gold' &&
      key.category === 'outage' &&
      key.unitId === 'front'
        ? matched
        : { ...matched, claimSeconds: 1800 },
    );
    given()
      .when(open({ priority: 'urgent', channel: 'email', customerTier: 'gold', category: 'outage' }), at('0'), { sla: byKey })
      .then(
        opened(at('0'), {
          ...termsOf(matched),
          priority: 'urgent',
          channel: 'email',
          customerTier: 'gold',
          category: 'outage',
          claimDueAt: at('5m'),
          responseDueAt: at('1h'),
          resolutionDueAt: at('1d'),
        }),
      );
  });

  it('rejects opening an id that already has a stream: TICKET_ALREADY_EXISTS (conflict)', () => {
    given(opened(at('0')))
      .when(open(), at('1m'))
      .thenRejects('TICKET_ALREADY_EXISTS', 'conflict');
  });

  it('rejects a blank subject: INVALID_COMMAND', () => {
    given()
      .when(open({ subject: '  ' }), at('0'))
      .thenRejects('INVALID_COMMAND', 'rule');
  });
});
