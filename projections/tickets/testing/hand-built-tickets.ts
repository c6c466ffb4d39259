import { claim, close, hold, open, reclassify, respond, resume } from '#ticketing/testing/commands.js';
import { ticketStream } from './report-fixture.js';

/**
 * Hand-built tickets for what golden-small does not cover: buckets across a month end and
 * an ISO week boundary in Istanbul time (UTC+3, where the UTC date differs), an asOf in the
 * middle of tickets' lives (closed or reclassified after asOf; an open phase past due with
 * no delay written yet; a hold in progress), CSV, and the ticket list's pages, sort and
 * filters. Tickets are built through the domain (decide/evolve); writeFixtureTables gives
 * them the projection's rows.
 */

export const ZONE = 'Europe/Istanbul';
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

// Sunday 29 Nov 23:30 local: ISO week of 23 Nov, month of November.
export const T1 = id(1);
// Monday 30 Nov 00:30 local (still Sunday in UTC): week of 30 Nov.
export const T2 = id(2);
// Tuesday 1 Dec 00:30 local (still 30 Nov in UTC): December.
export const T3 = id(3);
// Monday 30 Nov 23:30 local: November, week of 30 Nov.
export const T4 = id(4);
// Opened 30 Nov; reclassified refund → complaint and closed after asOf.
export const MID = id(5);
// Opened 1 Dec, unclaimed at asOf: claim and response phases past due, no TicketDelayed yet.
export const UNCLAIMED = id(6);
// On hold at asOf since before its response due time: the response is still pending.
export const ON_HOLD = id(7);

// Wednesday 2 Dec 06:00 local: the middle of MID's, UNCLAIMED's and ON_HOLD's lives.
export const AS_OF_MID = '2026-12-02T03:00:00Z';
// After every event.
export const AS_OF_END = '2026-12-03T00:00:00Z';

export const HAND_BUILT_STREAMS = [
  ticketStream(T1, [
    {
      at: '2026-11-29T20:30:00Z',
      command: open({ unitId: 'front', channel: 'phone', category: 'refund', priority: 'normal', claimBy: 'ayse' }),
    },
    { at: '2026-11-29T20:40:00Z', command: respond('ayse', { solution: true }) },
    { at: '2026-11-29T21:00:00Z', command: close('ayse') },
  ]),
  ticketStream(T2, [
    { at: '2026-11-29T21:30:00Z', command: open({ unitId: 'front', channel: 'email', category: 'delivery', priority: 'high' }) },
    { at: '2026-11-29T21:45:00Z', command: claim('can') },
    { at: '2026-11-29T22:00:00Z', command: respond('can') },
    { at: '2026-11-30T10:00:00Z', command: close('can', { requestMet: false }) },
  ]),
  ticketStream(T3, [
    {
      at: '2026-11-30T21:30:00Z',
      command: open({ unitId: 'billing', channel: 'phone', category: 'refund', priority: 'normal', claimBy: 'elif' }),
    },
    { at: '2026-11-30T21:40:00Z', command: respond('elif') },
    { at: '2026-11-30T22:00:00Z', command: close('elif') },
  ]),
  ticketStream(T4, [
    { at: '2026-11-30T20:30:00Z', command: open({ unitId: 'billing', channel: 'web', category: 'delivery', priority: 'low' }) },
    { at: '2026-11-30T20:40:00Z', command: claim('elif') },
    { at: '2026-11-30T20:50:00Z', command: respond('elif') },
    { at: '2026-11-30T21:10:00Z', command: close('elif', { resolution: 'not_resolved', requestMet: false }) },
  ]),
  ticketStream(MID, [
    { at: '2026-11-30T06:00:00Z', command: open({ unitId: 'front', channel: 'phone', category: 'refund', priority: 'normal' }) },
    { at: '2026-11-30T06:10:00Z', command: claim('ayse') },
    { at: '2026-11-30T06:20:00Z', command: respond('ayse') },
    { at: '2026-12-02T08:00:00Z', command: reclassify({ category: 'complaint' }) },
    { at: '2026-12-02T09:00:00Z', command: close('ayse') },
  ]),
  ticketStream(UNCLAIMED, [
    { at: '2026-12-01T10:00:00Z', command: open({ unitId: 'billing', channel: 'web', category: 'wrong-invoice', priority: 'normal' }) },
    { at: '2026-12-02T05:00:00Z', command: claim('murat') },
    { at: '2026-12-02T05:10:00Z', command: respond('murat') },
    { at: '2026-12-02T05:20:00Z', command: close('murat') },
  ]),
  ticketStream(ON_HOLD, [
    { at: '2026-12-01T08:00:00Z', command: open({ unitId: 'front', channel: 'phone', category: 'technical', priority: 'high' }) },
    { at: '2026-12-01T08:05:00Z', command: claim('can') },
    { at: '2026-12-01T08:30:00Z', command: hold('can') },
    { at: '2026-12-02T06:00:00Z', command: resume('can') },
    { at: '2026-12-02T06:10:00Z', command: respond('can') },
    { at: '2026-12-02T06:30:00Z', command: close('can') },
  ]),
];
