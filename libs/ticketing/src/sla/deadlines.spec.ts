import { describe, expect, it } from '@jest/globals';
import { openDeadlines, type OpenDeadline } from './deadlines.js';
import { decide } from '../ticket/decide.js';
import type { TicketEvent } from '../ticket/events.js';
import { fold } from '../ticket/state.js';
import { markDelayed } from '../testing/commands.js';
import { claimed, closed, delayed, opened, putOnHold, reopened, responded, resumed, routed, TICKET_ID } from '../testing/events.js';
import { at } from '../testing/time.js';

/**
 * Given a stream, then exactly these open deadlines; and each one is what the watchdog's
 * `MarkTicketDelayed` accepts just after its due (the list and decide agree).
 */
function given(...history: TicketEvent[]) {
  return {
    thenOpen(...expected: OpenDeadline[]): void {
      const state = fold(history);
      const open = openDeadlines(state);
      expect(open).toEqual(expected);
      for (const deadline of open) {
        const after = new Date(Math.max(Date.parse(deadline.dueAt), Date.parse(history[history.length - 1].occurredAt)) + 1).toISOString();
        const result = decide(state, markDelayed(deadline.phase), { at: after, ticketId: TICKET_ID });
        expect(Array.isArray(result) ? result.map((event) => event.type) : result.code).toEqual(['TicketDelayed']);
      }
    },
  };
}

const claim = (startedAt: string, dueAt: string): OpenDeadline => ({ phase: 'claim', instance: startedAt, dueAt });
const response = (cycle: number, dueAt: string): OpenDeadline => ({ phase: 'response', instance: String(cycle), dueAt });
const resolution = (cycle: number, dueAt: string): OpenDeadline => ({ phase: 'resolution', instance: String(cycle), dueAt });

describe('openDeadlines', () => {
  const held = [opened(at('0')), claimed(at('5m'), { userId: 'ayse', unitId: 'front' })];

  it('a new ticket: its pool wait’s claim, the first cycle’s response and resolution', () => {
    given(opened(at('0'))).thenOpen(claim(at('0'), at('30m')), response(1, at('4h')), resolution(1, at('3d')));
  });

  it('no stream: none', () => {
    given().thenOpen();
  });

  it('a claimed ticket: no claim deadline', () => {
    given(...held).thenOpen(response(1, at('4h')), resolution(1, at('3d')));
  });

  it('a route starts a new pool wait: the claim deadline is that wait’s, keyed by its start', () => {
    given(opened(at('0')), routed(at('10m'), { fromUnitId: 'front', toUnitId: 'billing' })).thenOpen(
      claim(at('10m'), at('40m')),
      response(1, at('4h')),
      resolution(1, at('3d')),
    );
  });

  it('a delayed phase is not open any more; the others are', () => {
    given(opened(at('0')), delayed(at('31m'), 'claim', { unitId: 'front', dueAt: at('30m') })).thenOpen(
      response(1, at('4h')),
      resolution(1, at('3d')),
    );
    given(...held, delayed(at('4h 1s'), 'response', { unitId: 'front', userId: 'ayse', dueAt: at('4h') })).thenOpen(
      resolution(1, at('3d')),
    );
    given(...held, delayed(at('3d 1s'), 'resolution', { unitId: 'front', userId: 'ayse', dueAt: at('3d') })).thenOpen(
      response(1, at('4h')),
    );
  });

  it('an answered cycle: no response deadline', () => {
    given(...held, responded(at('1h'), { userId: 'ayse' })).thenOpen(resolution(1, at('3d')));
  });

  it('phases without a due time: none of them', () => {
    given(opened(at('0'), { claimDueAt: null, responseDueAt: null, resolutionDueAt: null })).thenOpen();
  });

  it('on hold before the dues: nothing can become late while the clocks stand', () => {
    given(...held, putOnHold(at('3h'), 'ayse')).thenOpen();
  });

  it('on hold after the response due passed: that phase is late and stays open; the resolution is paused', () => {
    given(...held, putOnHold(at('5h'), 'ayse')).thenOpen(response(1, at('4h')));
  });

  it('on hold exactly at the due: not passed, so paused', () => {
    given(...held, putOnHold(at('4h'), 'ayse')).thenOpen();
  });

  it('resumed: the moved dues are open again', () => {
    given(
      ...held,
      putOnHold(at('3h'), 'ayse'),
      resumed(at('5h'), { userId: 'ayse', responseDueAt: at('6h'), resolutionDueAt: at('3d 2h') }),
    ).thenOpen(response(1, at('6h')), resolution(1, at('3d 2h')));
  });

  it('a closed ticket: none', () => {
    given(...held, closed(at('1d'), { userId: 'ayse', unitId: 'front' })).thenOpen();
  });

  it('reopened: the new cycle’s deadlines and its pool wait, keyed by the cycle number and the wait’s start', () => {
    given(...held, closed(at('1d'), { userId: 'ayse', unitId: 'front' }), reopened(at('2d'), { unitId: 'front' })).thenOpen(
      claim(at('2d'), at('2d 30m')),
      response(2, at('2d 4h')),
      resolution(2, at('5d')),
    );
  });
});
