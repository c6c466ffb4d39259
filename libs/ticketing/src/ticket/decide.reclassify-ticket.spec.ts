import { describe, it } from '@jest/globals';
import { DEFAULT_TERMS } from '../sla/terms.js';
import { reclassify } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, opened, putOnHold, reclassified, responded, resumed } from '../testing/events.js';
import { termsOf, testSla, type TestTargets } from '../testing/sla.js';
import { at } from '../testing/time.js';

const HOUR = 3600;
const DAY = 24 * HOUR;
const TARGETS: Record<string, TestTargets> = {
  urgent: { claimSeconds: 600, responseSeconds: HOUR, resolutionSeconds: DAY },
  normal: { claimSeconds: 1800, responseSeconds: 4 * HOUR, resolutionSeconds: 3 * DAY },
  low: { claimSeconds: 1800, responseSeconds: 8 * HOUR, resolutionSeconds: 5 * DAY },
};
const byPriority = testSla(({ priority }) => TARGETS[priority] ?? TARGETS.normal);

/** The new cycle terms a reclassification to `priority` records; `keptResponse` when the response clock is not recomputed. */
function cycleTerms(priority: string, keptResponse = false) {
  const { policyId, responseClock, resolutionClock } = termsOf(TARGETS[priority]);
  return { policyId, responseClock: keptResponse ? DEFAULT_TERMS.responseClock : responseClock, resolutionClock };
}

describe('ReclassifyTicket', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

  it('a new priority recomputes the response and resolution due times from the start of the cycle', () => {
    given(...held)
      .when(reclassify({ userId: 'ayse', priority: 'urgent' }), at('30m'), { sla: byPriority })
      .then(
        reclassified(at('30m'), {
          ...cycleTerms('urgent'),
          userId: 'ayse',
          category: 'billing',
          priority: 'urgent',
          responseDueAt: at('1h'),
          resolutionDueAt: at('1d'),
        }),
      );
  });

  it('a new category alone keeps the priority; without a user the reclassification names none', () => {
    given(...held)
      .when(reclassify({ category: 'outage' }), at('30m'), { sla: byPriority })
      .then(
        reclassified(at('30m'), {
          ...cycleTerms('normal'),
          userId: null,
          category: 'outage',
          priority: 'normal',
          responseDueAt: at('4h'),
          resolutionDueAt: at('3d'),
        }),
      );
  });

  it('recomputed due times honour the time already spent on hold in the cycle', () => {
    given(
      ...held,
      putOnHold(at('10m'), 'ayse'),
      resumed(at('40m'), { userId: 'ayse', responseDueAt: at('4h 30m'), resolutionDueAt: at('3d 30m') }),
    )
      .when(reclassify({ priority: 'urgent' }), at('50m'), { sla: byPriority })
      .then(
        reclassified(at('50m'), {
          ...cycleTerms('urgent'),
          userId: null,
          category: 'billing',
          priority: 'urgent',
          responseDueAt: at('1h 30m'),
          resolutionDueAt: at('1d 30m'),
        }),
      );
  });

  it('during a hold the running hold is not counted yet: the resume moves the recomputed due times', () => {
    given(...held, putOnHold(at('20m'), 'ayse'))
      .when(reclassify({ priority: 'urgent' }), at('50m'), { sla: byPriority })
      .then(
        reclassified(at('50m'), {
          ...cycleTerms('urgent'),
          userId: null,
          category: 'billing',
          priority: 'urgent',
          responseDueAt: at('1h'),
          resolutionDueAt: at('1d'),
        }),
      );
  });

  it('keeps the response due once the cycle was answered', () => {
    given(...held, responded(at('20m'), { userId: 'ayse' }))
      .when(reclassify({ priority: 'urgent' }), at('30m'), { sla: byPriority })
      .then(
        reclassified(at('30m'), {
          ...cycleTerms('urgent', true),
          userId: null,
          category: 'billing',
          priority: 'urgent',
          responseDueAt: at('4h'),
          resolutionDueAt: at('1d'),
        }),
      );
  });

  it('keeps a due time that has already passed: a lower priority does not take back a delay', () => {
    given(...held)
      .when(reclassify({ priority: 'low' }), at('5h'), { sla: byPriority })
      .then(
        reclassified(at('5h'), {
          ...cycleTerms('low', true),
          userId: null,
          category: 'billing',
          priority: 'low',
          responseDueAt: at('4h'),
          resolutionDueAt: at('5d'),
        }),
      );
  });

  it('a higher priority may set a due time that is already in the past', () => {
    given(...held)
      .when(reclassify({ priority: 'urgent' }), at('2h'), { sla: byPriority })
      .then(
        reclassified(at('2h'), {
          ...cycleTerms('urgent'),
          userId: null,
          category: 'billing',
          priority: 'urgent',
          responseDueAt: at('1h'),
          resolutionDueAt: at('1d'),
        }),
      );
  });

  it('rejects a reclassification that changes nothing: NOTHING_TO_RECLASSIFY', () => {
    given(...held)
      .when(reclassify({ category: 'billing', priority: 'normal' }), at('30m'))
      .thenRejects('NOTHING_TO_RECLASSIFY');
  });

  it('rejects a reclassification that names neither category nor priority: NOTHING_TO_RECLASSIFY', () => {
    given(...held)
      .when(reclassify({ userId: 'ayse' }), at('30m'))
      .thenRejects('NOTHING_TO_RECLASSIFY');
  });

  it('rejects a reclassification of a closed ticket: TICKET_CLOSED', () => {
    given(...held, closed(at('20m'), { userId: 'ayse', unitId: 'front' }))
      .when(reclassify({ priority: 'urgent' }), at('30m'))
      .thenRejects('TICKET_CLOSED');
  });
});
