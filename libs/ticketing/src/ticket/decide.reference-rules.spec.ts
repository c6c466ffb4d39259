import { describe, it } from '@jest/globals';
import { claim, escalate, open, reclassify, route, survey } from '../testing/commands.js';
import { given } from '../testing/decider-spec.js';
import { claimed, closed, opened, released, routed } from '../testing/events.js';
import { contactCentre } from '../testing/reference.js';
import { at } from '../testing/time.js';

/** Reference data in ticket commands (issue 10): strict mode refuses unknown names with the field; open mode accepts them. */
const catalogue = contactCentre([]);
const strict = { reference: { catalogue, mode: 'strict' as const } };
const openMode = { reference: { catalogue, mode: 'open' as const } };

describe('strict mode', () => {
  it.each([
    ['unitId', { unitId: 'nowhere' }, 'unit'],
    ['category', { category: 'misc' }, 'category'],
    ['priority', { priority: 'p0' }, 'priority'],
    ['channel', { channel: 'fax' }, 'channel'],
    ['customerTier', { customerTier: 'platinum' }, 'customerTier'],
  ])('an open naming an unknown %s is refused 422 REFERENCE_UNKNOWN naming the field', (field, data, kind) => {
    given().when(open(data), at('0'), strict).thenRejects('REFERENCE_UNKNOWN', 'rule', { field, kind });
  });

  it('an open with known names is accepted', () => {
    given()
      .when(open({ customerTier: 'gold' }), at('0'), strict)
      .then(opened(at('0'), { customerTier: 'gold' }));
  });

  it('a claim by an unknown user names userId; by a user of another unit: USER_NOT_IN_UNIT', () => {
    given(opened(at('0')))
      .when(claim('mallory'), at('1m'), strict)
      .thenRejects('REFERENCE_UNKNOWN', 'rule', { field: 'userId', kind: 'user' });
    given(opened(at('0')))
      .when(claim('fatma'), at('1m'), strict)
      .thenRejects('USER_NOT_IN_UNIT', 'rule', { field: 'userId', unitId: 'front' });
  });

  it('a member claims in their unit', () => {
    given(opened(at('0')))
      .when(claim('ayse'), at('1m'), strict)
      .then(claimed(at('1m'), { userId: 'ayse', unitId: 'front' }));
  });

  it('an assignment needs the supervisor flag in that unit: USER_NOT_SUPERVISOR for an agent, accepted for the supervisor', () => {
    const held = [opened(at('0')), claimed(at('1m'), { userId: 'ayse', unitId: 'front' })];
    given(...held)
      .when(claim('bob', 'ayse'), at('2m'), strict)
      .thenRejects('USER_NOT_SUPERVISOR', 'rule', { field: 'assignedBy' });
    given(...held)
      .when(claim('bob', 'sam'), at('2m'), strict)
      .then(
        released(at('2m'), { userId: 'ayse', reason: 'reassigned to bob by sam', claimDueAt: at('32m') }),
        claimed(at('2m'), { userId: 'bob', unitId: 'front', assignedBy: 'sam' }),
      );
  });

  it('a route or an escalation to an unknown unit names the field', () => {
    given(opened(at('0')))
      .when(route('moon'), at('1m'), strict)
      .thenRejects('REFERENCE_UNKNOWN', 'rule', { field: 'toUnitId' });
    given(opened(at('0')))
      .when(escalate({ toUnitId: 'moon' }), at('1m'), strict)
      .thenRejects('REFERENCE_UNKNOWN', 'rule', { field: 'toUnitId' });
  });

  it('a reclassification to an unknown category or priority names the field', () => {
    given(opened(at('0')))
      .when(reclassify({ category: 'misc' }), at('1m'), strict)
      .thenRejects('REFERENCE_UNKNOWN', 'rule', { field: 'category' });
    given(opened(at('0')))
      .when(reclassify({ priority: 'p0' }), at('1m'), strict)
      .thenRejects('REFERENCE_UNKNOWN', 'rule', { field: 'priority' });
  });

  it('a survey from an unknown channel names the field', () => {
    given(opened(at('0')), closed(at('1h'), { userId: null, unitId: 'front' }))
      .when(survey({ channel: 'pigeon' }), at('2h'), strict)
      .thenRejects('REFERENCE_UNKNOWN', 'rule', { field: 'channel' });
  });
});

describe('open mode', () => {
  it('accepts names nobody defined', () => {
    given()
      .when(open({ unitId: 'nowhere', category: 'misc', priority: 'p0', channel: 'fax' }), at('0'), openMode)
      .then(opened(at('0'), { unitId: 'nowhere', category: 'misc', priority: 'p0', channel: 'fax' }));
    given(opened(at('0')))
      .when(route('moon'), at('1m'), openMode)
      .then(routed(at('1m'), { fromUnitId: 'front', toUnitId: 'moon' }));
    given(opened(at('0')))
      .when(claim('fatma', 'ayse'), at('1m'), openMode)
      .then(claimed(at('1m'), { userId: 'fatma', unitId: 'front', assignedBy: 'ayse' }));
  });
});
