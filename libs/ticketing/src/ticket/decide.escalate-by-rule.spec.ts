import { describe, it } from '@jest/globals';
import type { EscalationLevel } from '../reference/definitions.js';
import { EMPTY_CATALOGUE } from '../reference/catalogue.js';
import { slaCatalogueOf } from '../sla/policy.js';
import type { EscalationRuleTerms, SlaCatalogue } from '../sla/terms.js';
import { escalate, markDelayed, respond } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, delayed, escalated, opened, putOnHold, responded, routed } from '../testing/events.js';
import { at } from '../testing/time.js';

/**
 * Escalation by rule (issue 11) under the built-in policy (response due 4 h after opening): the
 * rule `late@1` escalates a late response to the holding unit's supervisor at the delay (level 1),
 * to the `escalations` unit with a route after 30 min of grace (level 2), and to that unit's
 * supervisor after an hour (level 3).
 */
const LEVELS: EscalationLevel[] = [
  { level: 1, afterSeconds: 0, to: { supervisorOf: null }, route: false },
  { level: 2, afterSeconds: 1800, to: { unit: 'escalations' }, route: true },
  { level: 3, afterSeconds: 3600, to: { supervisorOf: 'escalations' }, route: false },
];
const RULE: EscalationRuleTerms = { ruleId: 'late@1', levels: LEVELS };
const SUPERVISORS: Record<string, string> = { front: 'selin', escalations: 'omer' };
const sla: SlaCatalogue = {
  ...slaCatalogueOf(EMPTY_CATALOGUE),
  escalationRuleAt: (_key, phase) => (phase === 'response' ? RULE : undefined),
  escalationRule: (id) => (id === RULE.ruleId ? RULE : undefined),
  supervisorOf: (unitId) => SUPERVISORS[unitId] ?? null,
};
const options = { sla };

const schedule = { ruleId: 'late@1', levels: [1, 2, 3].map((level) => ({ level, at: at(['4h', '4h 30m', '5h'][level - 1]) })) };
const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];
const late = delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h'), escalation: schedule });
const level1 = escalated(at('4h 1s'), {
  level: 1,
  reason: `response late since ${at('4h')}`,
  by: 'system',
  ruleId: 'late@1',
  phase: 'response',
  toUnitId: 'front',
  toUserId: 'selin',
  nextLevelAt: at('4h 30m'),
});
const byRule = (reason = 'response still late') => escalate({ phase: 'response', reason });

describe('EscalateTicket by rule', () => {
  it('the watchdog’s delay records the rule’s schedule and escalates to level 1 at once: the holding unit’s supervisor', () => {
    given(...held)
      .when(markDelayed('response'), at('4h 1s'), options)
      .then(late, level1);
  });

  it('a phase no rule matches is delayed with no schedule and no escalation', () => {
    given(opened(at('0')))
      .when(markDelayed('claim'), at('31m'), options)
      .then(delayed(at('31m'), 'claim', { unitId: 'front', dueAt: at('30m') }));
  });

  it('a command completing the phase late writes the delay without a schedule: the phase is over, nothing escalates', () => {
    given(...held)
      .when(respond('ayse'), at('4h 10m'), options)
      .then(
        delayed(at('4h 10m'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }),
        responded(at('4h 10m'), { userId: 'ayse' }),
      );
  });

  it('level 2 waits for its grace time: ESCALATION_NOT_DUE with the instant', () => {
    given(...held, late, level1)
      .when(byRule(), at('4h 29m'), options)
      .thenRejects('ESCALATION_NOT_DUE', 'rule', { phase: 'response', level: 2, at: at('4h 30m') });
  });

  it('after the grace time, level 2 escalates to the escalation unit and routes the ticket there (the route names the holder)', () => {
    given(...held, late, level1)
      .when(byRule(), at('4h 31m'), options)
      .then(
        escalated(at('4h 31m'), {
          level: 2,
          reason: 'response still late',
          by: 'system',
          ruleId: 'late@1',
          phase: 'response',
          toUnitId: 'escalations',
          toUserId: 'omer',
          nextLevelAt: at('5h'),
        }),
        routed(at('4h 31m'), {
          fromUnitId: 'front',
          toUnitId: 'escalations',
          reason: 'escalated: response still late',
          userId: 'ayse',
          claimDueAt: at('5h 1m'),
        }),
      );
  });

  it('on hold the level escalates without the route (a route needs the clock running)', () => {
    given(...held, late, level1, putOnHold(at('4h 10m'), 'ayse'))
      .when(byRule(), at('4h 31m'), options)
      .then(
        escalated(at('4h 31m'), {
          level: 2,
          reason: 'response still late',
          by: 'system',
          ruleId: 'late@1',
          phase: 'response',
          toUnitId: 'escalations',
          toUserId: 'omer',
          nextLevelAt: at('5h'),
        }),
      );
  });

  it('stops when the phase completes: answered, nothing more to escalate (PHASE_NOT_OPEN)', () => {
    given(...held, late, level1, responded(at('4h 10m'), { userId: 'ayse' }))
      .when(byRule(), at('4h 31m'), options)
      .thenRejects('PHASE_NOT_OPEN');
  });

  it('a manual escalation to level 2 skips the rule’s level 2; its level 3 still applies at its own time', () => {
    const manual = escalated(at('4h 20m'), { level: 2, reason: 'customer called again', by: 'selin' });
    given(...held, late, level1, manual)
      .when(byRule(), at('4h 31m'), options)
      .thenRejects('ESCALATION_NOT_DUE', 'rule', { level: 3, at: at('5h') });
    given(...held, late, level1, manual)
      .when(byRule(), at('5h 1m'), options)
      .then(
        escalated(at('5h 1m'), {
          level: 3,
          reason: 'response still late',
          by: 'system',
          ruleId: 'late@1',
          phase: 'response',
          toUnitId: 'escalations',
          toUserId: 'omer',
          nextLevelAt: null,
        }),
      );
  });

  it('refuses a rule escalation that names a level, user or unit (they come from the rule)', () => {
    given(...held, late, level1)
      .when(escalate({ phase: 'response', level: 5 }), at('4h 31m'), options)
      .thenRejects('INVALID_COMMAND', 'rule', { field: 'phase' });
  });
});
