import type { TicketEvent } from '#ticketing';
import { claim, close, hold, markDelayed, open, respond, resume, route } from '#ticketing/testing/commands.js';
import { ticketStream } from './report-fixture.js';

/**
 * Tickets whose resolution due time meets a hold, for the backlog's over-target figure and the
 * delays (docs/kpis.md "Phases and delays", "Backlog"): a hold stops the resolution clock, so a
 * due time that passes on hold counts only once a resume has moved it and it passes again,
 * while one that had passed before the hold keeps counting. Each ticket sits in units of its
 * own, so a unit's figures are the ticket's. Each is answered on time, so its only delay is
 * the resolution's. Built through the domain (default policy: resolution due 3 days after the
 * cycle starts, calendar time).
 */

/** The Istanbul midnight that starts 30 Nov 2026 (21:00 UTC the day before). */
export const HOLD_M0 = Date.parse('2026-11-29T21:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const after = (offset: number) => new Date(HOLD_M0 + offset).toISOString();

export interface HoldTicket {
  ticketId: string;
  about: string;
  events: TicketEvent[];
  /** over target at the end of local day k (HOLD_M0 + k days), per unit, for k = 1…9; a unit absent at k has no backlog there */
  overTargetAtEndOf: Record<number, Record<string, boolean>>;
}

const id = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

/** `{k: {unit: flag}}` for k in [from, to]. */
function days(from: number, to: number, unit: string, flag: (k: number) => boolean): Record<number, Record<string, boolean>> {
  const out: Record<number, Record<string, boolean>> = {};
  for (let k = from; k <= to; k++) out[k] = { [unit]: flag(k) };
  return out;
}

export function holdTickets(): HoldTicket[] {
  return [
    {
      ticketId: id(1),
      about: 'on hold from 2d, due 3d 2h passes during the hold, never resumed: never over target',
      events: ticketStream(id(1), [
        { at: after(2 * HOUR), command: open({ unitId: 'hold-open' }) },
        { at: after(3 * HOUR), command: claim('ayse') },
        { at: after(4 * HOUR), command: respond('ayse') },
        { at: after(2 * DAY), command: hold('ayse') },
      ]),
      overTargetAtEndOf: days(1, 9, 'hold-open', () => false),
    },
    {
      ticketId: id(2),
      about:
        'on hold 2d–5d, due 3d 2h passes during the hold; the resume moves it to 6d 2h: over target after that, until the close at 7d 12h',
      events: ticketStream(id(2), [
        { at: after(2 * HOUR), command: open({ unitId: 'hold-resumed' }) },
        { at: after(3 * HOUR), command: claim('ayse') },
        { at: after(4 * HOUR), command: respond('ayse') },
        { at: after(2 * DAY), command: hold('ayse') },
        { at: after(5 * DAY), command: resume('ayse') },
        { at: after(7 * DAY + 12 * HOUR), command: close('ayse') },
      ]),
      overTargetAtEndOf: days(1, 7, 'hold-resumed', (k) => k >= 7),
    },
    {
      ticketId: id(3),
      about:
        'due 3d 2h passed (and recorded by the watchdog) before the hold 3d 12h–5d: over target through the hold, ' +
        'the resume leaves the due time',
      events: ticketStream(id(3), [
        { at: after(2 * HOUR), command: open({ unitId: 'late-before-hold' }) },
        { at: after(3 * HOUR), command: claim('deniz') },
        { at: after(4 * HOUR), command: respond('deniz') },
        { at: after(3 * DAY + 2 * HOUR + 5 * 60_000), command: markDelayed('resolution') },
        { at: after(3 * DAY + 12 * HOUR), command: hold('deniz') },
        { at: after(5 * DAY), command: resume('deniz') },
        { at: after(6 * DAY + 12 * HOUR), command: close('deniz') },
      ]),
      overTargetAtEndOf: days(1, 6, 'late-before-hold', (k) => k >= 4),
    },
    {
      ticketId: id(4),
      about: 'a hold that begins exactly at the due time 3d 2h pauses the phase; the resume at 4d 2h moves it to 4d 2h',
      events: ticketStream(id(4), [
        { at: after(2 * HOUR), command: open({ unitId: 'hold-at-due' }) },
        { at: after(3 * HOUR), command: claim('elif') },
        { at: after(4 * HOUR), command: respond('elif') },
        { at: after(3 * DAY + 2 * HOUR), command: hold('elif') },
        { at: after(4 * DAY + 2 * HOUR), command: resume('elif') },
      ]),
      overTargetAtEndOf: days(1, 9, 'hold-at-due', (k) => k >= 5),
    },
    {
      ticketId: id(5),
      about:
        'two holds (1d–2d, then 3d–5d 6h) move the due time to 4d 2h, then 6d 8h; routed at 5d 7h, ' +
        'over target in the new unit’s pool after 6d 8h',
      events: ticketStream(id(5), [
        { at: after(2 * HOUR), command: open({ unitId: 'two-holds' }) },
        { at: after(3 * HOUR), command: claim('emre') },
        { at: after(4 * HOUR), command: respond('emre') },
        { at: after(DAY), command: hold('emre') },
        { at: after(2 * DAY), command: resume('emre') },
        { at: after(3 * DAY), command: hold('emre') },
        { at: after(5 * DAY + 6 * HOUR), command: resume('emre') },
        { at: after(5 * DAY + 7 * HOUR), command: route('two-holds-next', { userId: 'emre' }) },
      ]),
      overTargetAtEndOf: { ...days(1, 5, 'two-holds', () => false), ...days(6, 9, 'two-holds-next', (k) => k >= 7) },
    },
    {
      ticketId: id(6),
      about: 'due 3d 2h passed an hour before a hold that never ends: over target from the due time on',
      events: ticketStream(id(6), [
        { at: after(2 * HOUR), command: open({ unitId: 'late-on-hold' }) },
        { at: after(3 * HOUR), command: claim('can') },
        { at: after(4 * HOUR), command: respond('can') },
        { at: after(3 * DAY + 3 * HOUR), command: hold('can') },
      ]),
      overTargetAtEndOf: days(1, 9, 'late-on-hold', (k) => k >= 4),
    },
  ];
}
