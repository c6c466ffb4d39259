import { describe, expect, it } from '@jest/globals';
import type { TicketEvent } from './events.js';
import { custodyAt, evolve, fold, initialState, type ExistingTicket } from './state.js';
import { DEFAULT_TERMS } from '../sla/terms.js';
import {
  claimed,
  closed,
  delayed,
  escalated,
  opened,
  putOnHold,
  reclassified,
  released,
  reopened,
  responded,
  resumed,
  routed,
  surveyed,
  TICKET_ID,
} from '../testing/events.js';
import { at } from '../testing/time.js';

function ticket(...events: TicketEvent[]): ExistingTicket {
  const state = fold(events);
  if (!state.exists) throw new Error('expected an existing ticket');
  return state;
}

const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

describe('evolve', () => {
  describe('status', () => {
    it('TicketOpened: the ticket sits in the pool of its unit with its first pool wait and cycle', () => {
      const t = ticket(opened(at('0'), { customerTier: 'gold' }));
      expect(t).toMatchObject({
        exists: true,
        ticketId: TICKET_ID,
        revision: 0,
        openedAt: at('0'),
        lastOccurredAt: at('0'),
        customerTier: 'gold',
        status: 'in_pool',
        unitId: 'front',
        holder: null,
        hold: null,
        poolWait: { unitId: 'front', startedAt: at('0'), claimDueAt: at('30m'), delayed: false },
        cycle: {
          number: 1,
          startedAt: at('0'),
          responseDueAt: at('4h'),
          resolutionDueAt: at('3d'),
          respondedAt: null,
          responseDelayed: false,
          resolutionDelayed: false,
          pausedMs: 0,
          custody: [{ from: at('0'), unitId: 'front', userId: null }],
        },
        lastClose: null,
        escalationLevel: 0,
        routes: 0,
        responses: 0,
        reopens: 0,
        closes: 0,
        surveys: 0,
      });
    });

    it('TicketClaimed: in progress with the holder in the claimed unit; the pool wait ends', () => {
      expect(ticket(...held)).toMatchObject({ status: 'in_progress', holder: 'ayse', unitId: 'front', poolWait: null });
    });

    it('TicketRouted: unclaimed in the new unit pool, with a new pool wait', () => {
      const t = ticket(...held, routed(at('1h'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse' }));
      expect(t).toMatchObject({
        status: 'in_pool',
        unitId: 'billing',
        holder: null,
        poolWait: { unitId: 'billing', startedAt: at('1h'), claimDueAt: at('1h 30m'), delayed: false },
      });
    });

    it('TicketReleased: unclaimed in the same unit pool, with a new pool wait', () => {
      const t = ticket(...held, released(at('1h'), { userId: 'ayse' }));
      expect(t).toMatchObject({
        status: 'in_pool',
        unitId: 'front',
        holder: null,
        poolWait: { unitId: 'front', startedAt: at('1h'), claimDueAt: at('1h 30m') },
      });
    });

    it('TicketPutOnHold: on hold, still held by the holder', () => {
      const t = ticket(...held, putOnHold(at('1h'), 'ayse', 'awaiting customer'));
      expect(t).toMatchObject({ status: 'on_hold', holder: 'ayse', hold: { startedAt: at('1h'), reason: 'awaiting customer' } });
    });

    it('TicketResumed: back in progress; the time on hold adds to the paused time and the due times move', () => {
      const t = ticket(
        ...held,
        putOnHold(at('1h'), 'ayse'),
        resumed(at('3h'), { userId: 'ayse', responseDueAt: at('6h'), resolutionDueAt: at('3d 2h') }),
      );
      expect(t).toMatchObject({
        status: 'in_progress',
        hold: null,
        cycle: { pausedMs: 2 * 3_600_000, responseDueAt: at('6h'), resolutionDueAt: at('3d 2h') },
      });
    });

    it('TicketClosed: closed in the closing unit, nobody holds it, the close is remembered unsurveyed', () => {
      const t = ticket(...held, closed(at('2h'), { userId: 'ayse', unitId: 'front', resolution: 'duplicate', requestMet: false }));
      expect(t).toMatchObject({
        status: 'closed',
        unitId: 'front',
        holder: null,
        poolWait: null,
        closes: 1,
        lastClose: { closedAt: at('2h'), userId: 'ayse', unitId: 'front', resolution: 'duplicate', requestMet: false, surveyed: false },
      });
    });

    it('TicketClosed on hold: the hold ends and its length counts as paused', () => {
      const t = ticket(...held, putOnHold(at('1h'), 'ayse'), closed(at('1h 30m'), { userId: 'ayse', unitId: 'front' }));
      expect(t).toMatchObject({ status: 'closed', hold: null, cycle: { pausedMs: 30 * 60_000 } });
    });

    it('TicketReopened: in the closing unit pool with a new cycle and pool wait; the last close stays for a survey', () => {
      const t = ticket(...held, closed(at('2h'), { userId: 'ayse', unitId: 'front' }), reopened(at('1d'), { unitId: 'front' }));
      expect(t).toMatchObject({
        status: 'in_pool',
        unitId: 'front',
        holder: null,
        reopens: 1,
        poolWait: { unitId: 'front', startedAt: at('1d'), claimDueAt: at('1d 30m'), delayed: false },
        cycle: {
          number: 2,
          startedAt: at('1d'),
          responseDueAt: at('1d 4h'),
          resolutionDueAt: at('4d'),
          respondedAt: null,
          pausedMs: 0,
          custody: [{ from: at('1d'), unitId: 'front', userId: null }],
        },
        lastClose: { closedAt: at('2h'), surveyed: false },
      });
    });
  });

  describe('counters and facts', () => {
    it('counts routes, responses, closes, reopens and surveys, and the revision of every event', () => {
      const t = ticket(
        ...held,
        responded(at('10m'), { userId: 'ayse' }),
        routed(at('20m'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse' }),
        claimed(at('30m'), { userId: 'mehmet', unitId: 'billing' }),
        responded(at('40m'), { userId: 'mehmet' }),
        closed(at('1h'), { userId: 'mehmet', unitId: 'billing' }),
        surveyed(at('2h')),
        reopened(at('3h'), { unitId: 'billing' }),
      );
      expect({
        routes: t.routes,
        responses: t.responses,
        closes: t.closes,
        reopens: t.reopens,
        surveys: t.surveys,
        revision: t.revision,
        last: t.lastOccurredAt,
      }).toEqual({
        routes: 1,
        responses: 2,
        closes: 1,
        reopens: 1,
        surveys: 1,
        revision: 8,
        last: at('3h'),
      });
    });

    it('the first response of the cycle is remembered; later ones do not move it', () => {
      const t = ticket(...held, responded(at('10m'), { userId: 'ayse' }), responded(at('20m'), { userId: 'ayse' }));
      expect(t.cycle.respondedAt).toBe(at('10m'));
    });

    it('TicketEscalated sets the escalation level', () => {
      expect(ticket(...held, escalated(at('10m'), { level: 2 })).escalationLevel).toBe(2);
    });

    it('TicketReclassified sets category, priority and the recomputed due times', () => {
      const t = ticket(
        ...held,
        reclassified(at('10m'), {
          userId: null,
          category: 'outage',
          priority: 'urgent',
          responseDueAt: at('1h'),
          resolutionDueAt: at('1d'),
        }),
      );
      expect({ category: t.category, priority: t.priority, response: t.cycle.responseDueAt, resolution: t.cycle.resolutionDueAt }).toEqual({
        category: 'outage',
        priority: 'urgent',
        response: at('1h'),
        resolution: at('1d'),
      });
    });

    it('TicketSurveyed marks the last close as surveyed', () => {
      const t = ticket(...held, closed(at('1h'), { userId: 'ayse', unitId: 'front' }), surveyed(at('2h')));
      expect(t.lastClose?.surveyed).toBe(true);
    });
  });

  describe('custody timeline of the cycle', () => {
    it('records who had the ticket from which instant: pool, holder, next pool, next holder, closing unit', () => {
      const t = ticket(
        ...held,
        routed(at('1h'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse' }),
        claimed(at('2h'), { userId: 'mehmet', unitId: 'billing' }),
        released(at('3h'), { userId: 'mehmet' }),
        closed(at('4h'), { userId: null, unitId: 'billing' }),
      );
      expect(t.cycle.custody).toEqual([
        { from: at('0'), unitId: 'front', userId: null },
        { from: at('5m'), unitId: 'front', userId: 'ayse' },
        { from: at('1h'), unitId: 'billing', userId: null },
        { from: at('2h'), unitId: 'billing', userId: 'mehmet' },
        { from: at('3h'), unitId: 'billing', userId: null },
        { from: at('4h'), unitId: 'billing', userId: null },
      ]);
    });
  });

  describe('TicketDelayed marks the phase instance it is about', () => {
    it('claim: the open pool wait', () => {
      const t = ticket(opened(at('0')), delayed(at('31m'), 'claim', { unitId: 'front', dueAt: at('30m') }));
      expect(t.poolWait?.delayed).toBe(true);
    });

    it('response: the current cycle, leaving resolution undelayed', () => {
      const t = ticket(...held, delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }));
      expect({ response: t.cycle.responseDelayed, resolution: t.cycle.resolutionDelayed }).toEqual({ response: true, resolution: false });
    });

    it('resolution: the current cycle, leaving response undelayed', () => {
      const t = ticket(...held, delayed(at('3d 1s'), 'resolution', { unitId: 'front', userId: 'ayse', dueAt: at('3d') }));
      expect({ response: t.cycle.responseDelayed, resolution: t.cycle.resolutionDelayed }).toEqual({ response: false, resolution: true });
    });

    it('a pool wait started by a release begins undelayed', () => {
      const t = ticket(
        opened(at('0')),
        delayed(at('31m'), 'claim', { unitId: 'front', dueAt: at('30m') }),
        claimed(at('40m'), { userId: 'ayse', unitId: 'front' }),
        released(at('1h'), { userId: 'ayse' }),
      );
      expect(t.poolWait).toEqual({
        unitId: 'front',
        startedAt: at('1h'),
        claimClock: DEFAULT_TERMS.claimClock,
        claimDueAt: at('1h 30m'),
        delayed: false,
        warned: [],
        escalation: null,
      });
    });

    it('a pool wait started by a route begins undelayed', () => {
      const t = ticket(
        opened(at('0')),
        delayed(at('31m'), 'claim', { unitId: 'front', dueAt: at('30m') }),
        routed(at('40m'), { fromUnitId: 'front', toUnitId: 'billing' }),
      );
      expect(t.poolWait).toEqual({
        unitId: 'billing',
        startedAt: at('40m'),
        claimClock: DEFAULT_TERMS.claimClock,
        claimDueAt: at('1h 10m'),
        delayed: false,
        warned: [],
        escalation: null,
      });
    });

    it('a cycle started by a reopen begins undelayed', () => {
      const t = ticket(
        ...held,
        delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') }),
        delayed(at('3d 1s'), 'resolution', { unitId: 'front', userId: 'ayse', dueAt: at('3d') }),
        closed(at('4d'), { userId: 'ayse', unitId: 'front' }),
        reopened(at('5d'), { unitId: 'front' }),
      );
      expect({ number: t.cycle.number, response: t.cycle.responseDelayed, resolution: t.cycle.resolutionDelayed }).toEqual({
        number: 2,
        response: false,
        resolution: false,
      });
    });
  });

  describe('stream shape', () => {
    it('refuses a second TicketOpened', () => {
      expect(() => fold([opened(at('0')), opened(at('1m'))])).toThrow();
    });

    it('refuses any other event before TicketOpened', () => {
      expect(() => evolve(initialState, claimed(at('0'), { userId: 'ayse', unitId: 'front' }))).toThrow();
    });

    it('fold of nothing is the initial state: no ticket', () => {
      expect(fold([])).toEqual({ exists: false, revision: -1 });
    });

    it('fold continues from a given state', () => {
      const first = fold(held);
      expect(fold([responded(at('10m'), { userId: 'ayse' })], first)).toEqual(fold([...held, responded(at('10m'), { userId: 'ayse' })]));
    });
  });
});

describe('custodyAt', () => {
  const t = ticket(
    ...held,
    routed(at('1h'), { fromUnitId: 'front', toUnitId: 'billing', userId: 'ayse' }),
    claimed(at('2h'), { userId: 'mehmet', unitId: 'billing' }),
  );

  it('an instant exactly at a change belongs to the new custodian', () => {
    expect(custodyAt(t.cycle, at('5m'))).toEqual({ from: at('5m'), unitId: 'front', userId: 'ayse' });
  });

  it('an instant between changes belongs to the earlier custodian', () => {
    expect(custodyAt(t.cycle, at('4m 59s 999ms'))).toEqual({ from: at('0'), unitId: 'front', userId: null });
  });

  it('of several changes at one instant, the last one counts (opened on a call and taken at once)', () => {
    const takenOnCall = ticket(opened(at('0')), claimed(at('0'), { userId: 'ayse', unitId: 'front' }));
    expect(custodyAt(takenOnCall.cycle, at('0'))).toEqual({ from: at('0'), unitId: 'front', userId: 'ayse' });
  });

  it('an instant after the last change belongs to the current custodian', () => {
    expect(custodyAt(t.cycle, at('3d'))).toEqual({ from: at('2h'), unitId: 'billing', userId: 'mehmet' });
  });

  it('an instant before the cycle began falls back to its first custodian', () => {
    expect(custodyAt(t.cycle, '2020-01-01T00:00:00.000Z')).toEqual({ from: at('0'), unitId: 'front', userId: null });
  });
});
