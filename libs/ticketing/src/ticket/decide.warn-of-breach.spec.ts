import { describe, it } from '@jest/globals';
import { warnOfBreach } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, delayed, opened, putOnHold, responded, resumed, routed, warned } from '../testing/events.js';
import { at } from '../testing/time.js';

/**
 * The SLA watchdog's breach warning (issue 11): under the default policy (claim 30 min, response
 * 4 h, resolution 3 days, calendar time) a phase is warned of at 75% and 90% of its target.
 */
describe('WarnOfBreach', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

  it('at 75% of the claim target, warns the pool unit (no user) with the due and the warning’s instant', () => {
    given(opened(at('0')))
      .when(warnOfBreach('claim', 75), at('22m 31s'))
      .then(warned(at('22m 31s'), 'claim', { threshold: 75, dueAt: at('30m'), warnAt: at('22m 30s'), unitId: 'front' }));
  });

  it('rejects before the warning’s instant: BREACH_WARNING_NOT_DUE with the instant', () => {
    given(opened(at('0')))
      .when(warnOfBreach('claim', 75), at('22m 29s'))
      .thenRejects('BREACH_WARNING_NOT_DUE', 'rule', { phase: 'claim', threshold: 75, warnAt: at('22m 30s') });
  });

  it('rejects a threshold already warned of for this instance: BREACH_ALREADY_WARNED', () => {
    given(opened(at('0')), warned(at('23m'), 'claim', { threshold: 75, dueAt: at('30m'), warnAt: at('22m 30s'), unitId: 'front' }))
      .when(warnOfBreach('claim', 75), at('24m'))
      .thenRejects('BREACH_ALREADY_WARNED', 'rule', { phase: 'claim', threshold: 75 });
  });

  it('a new pool wait is a new instance: its 75% warns again, against the new unit', () => {
    given(
      opened(at('0')),
      warned(at('23m'), 'claim', { threshold: 75, dueAt: at('30m'), warnAt: at('22m 30s'), unitId: 'front' }),
      routed(at('25m'), { fromUnitId: 'front', toUnitId: 'billing' }),
    )
      .when(warnOfBreach('claim', 75), at('48m'))
      .then(warned(at('48m'), 'claim', { threshold: 75, dueAt: at('55m'), warnAt: at('47m 30s'), unitId: 'billing' }));
  });

  it('after downtime, both thresholds passed: writes 75% then 90%, each with its own instant', () => {
    given(opened(at('0')))
      .when(warnOfBreach('claim', 90), at('29m'))
      .then(
        warned(at('29m'), 'claim', { threshold: 75, dueAt: at('30m'), warnAt: at('22m 30s'), unitId: 'front' }),
        warned(at('29m'), 'claim', { threshold: 90, dueAt: at('30m'), warnAt: at('27m'), unitId: 'front' }),
      );
  });

  it('a response warning is attributed to whoever held the ticket at its instant', () => {
    given(...held, routed(at('3h 10m'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse' }))
      .when(warnOfBreach('response', 75), at('3h 20m'))
      .then(warned(at('3h 20m'), 'response', { threshold: 75, dueAt: at('4h'), warnAt: at('3h'), unitId: 'front', userId: 'ayse' }));
  });

  it('rejects a threshold the clock does not have: INVALID_COMMAND on threshold', () => {
    given(opened(at('0')))
      .when(warnOfBreach('claim', 80), at('29m'))
      .thenRejects('INVALID_COMMAND', 'rule', { field: 'threshold' });
  });

  it('rejects a phase with no open instance: claimed (claim), answered (response), delayed: PHASE_NOT_OPEN', () => {
    given(...held)
      .when(warnOfBreach('claim', 75), at('25m'))
      .thenRejects('PHASE_NOT_OPEN');
    given(...held, responded(at('1h'), { userId: 'ayse' }))
      .when(warnOfBreach('response', 75), at('3h 30m'))
      .thenRejects('PHASE_NOT_OPEN');
    given(opened(at('0')), delayed(at('31m'), 'claim', { unitId: 'front', dueAt: at('30m') }))
      .when(warnOfBreach('claim', 90), at('32m'))
      .thenRejects('PHASE_NOT_OPEN');
  });

  it('rejects on hold (the clock stands) and on a closed ticket', () => {
    given(...held, putOnHold(at('1h'), 'ayse'))
      .when(warnOfBreach('response', 75), at('3h 30m'))
      .thenRejects('TICKET_ON_HOLD');
    given(...held, closed(at('1h'), { userId: 'ayse', unitId: 'front' }))
      .when(warnOfBreach('resolution', 75), at('3d'))
      .thenRejects('TICKET_CLOSED');
  });

  it('after a resume the warning falls at the moved due less its share: held 1h–3h, response due 6h, 75% at 5h', () => {
    given(
      ...held,
      putOnHold(at('1h'), 'ayse'),
      resumed(at('3h'), { userId: 'ayse', responseDueAt: at('6h'), resolutionDueAt: at('3d 2h') }),
    )
      .when(warnOfBreach('response', 75), at('5h'))
      .then(warned(at('5h'), 'response', { threshold: 75, dueAt: at('6h'), warnAt: at('5h'), unitId: 'front', userId: 'ayse' }));
  });
});
