import type { JsonObject, RecordedEvent } from '#event-store';
import { referenceStreamId, ticketStreamId, type TicketEvent } from '#ticketing';
import type { SlaCatalogue } from '#ticketing/sla/terms.js';
import { termsOf } from '#ticketing/testing/sla.js';
import { claim, close, hold, open, respond, resume } from '#ticketing/testing/commands.js';
import { BERLIN, BUSINESS_CALENDARS, businessCalendars, ISTANBUL, NO_POLICY, slaTicketStream } from './business-calendars.js';

/**
 * The reports' business-time fixture: tickets in two calendars (testing/business-calendars.ts:
 * Istanbul 09:00–12:30 + 13:30–18:00 on weekdays, UTC+3; Berlin 08:00–16:30 on weekdays, UTC+1,
 * 24 Dec to 12:00, 25 Dec a holiday), each measure hand-computed beside the ticket; the
 * expected report figures are in reports.business.int-spec.ts. Unit `istanbul` runs its policy
 * in the Istanbul calendar, `berlin` in Berlin's, `imported` has no policy.
 */

export const BIZ_I1 = '00000000-0000-4000-8000-00000000c001';
export const BIZ_I2 = '00000000-0000-4000-8000-00000000c002';
export const BIZ_B1 = '00000000-0000-4000-8000-00000000c003';
export const BIZ_B2 = '00000000-0000-4000-8000-00000000c004';
export const BIZ_N1 = '00000000-0000-4000-8000-00000000c005';

const CALENDAR_BY_UNIT: Record<string, string> = { istanbul: ISTANBUL, berlin: BERLIN };

/** Claim 30 min, response 4 h, resolution 1 day of business time in the unit's calendar; no policy for `imported`. */
export const BUSINESS_SLA: SlaCatalogue = {
  termsAt: (key, at) => {
    const calendarId = CALENDAR_BY_UNIT[key.unitId];
    if (calendarId === undefined) return NO_POLICY.termsAt(key, at);
    return termsOf({ claimSeconds: 1800, responseSeconds: 4 * 3600, resolutionSeconds: 24 * 3600, calendarId });
  },
  calendar: businessCalendars,
};

export const BUSINESS_STREAMS: Array<[string, TicketEvent[]]> = [
  [
    BIZ_I1,
    // A weekend. Opened Fri 4 Dec 17:00 local, claimed 17:30, answered Mon 7 Dec 09:30, closed 10:00.
    // TTC 17:00–17:30 = 1800 (calendar 1800). FRT Fri 17–18 3600 + Mon 09:00–09:30 1800 = 5400 (calendar 64.5 h = 232200).
    // TAT Fri 17:30–18 1800 + Mon 1800 = 3600 (calendar 230400). TFS = TRT Fri 3600 + Mon 09–10 3600 = 7200 (calendar 234000).
    // Handling 17:30 → Mon 10:00: 1800 + 3600 = 5400 (calendar 232200).
    slaTicketStream(BIZ_I1, BUSINESS_SLA, [
      { at: '2026-12-04T14:00:00Z', command: open({ unitId: 'istanbul', category: 'refund' }) },
      { at: '2026-12-04T14:30:00Z', command: claim('ayse') },
      { at: '2026-12-07T06:30:00Z', command: respond('ayse') },
      { at: '2026-12-07T07:00:00Z', command: close('ayse') },
    ]),
  ],
  [
    BIZ_I2,
    // Lunch and a hold in working hours. Opened Tue 8 Dec 12:00 local, claimed 12:15, hold 14:00–15:00,
    // answered with a solution 16:00, closed 17:00. TTC 12:00–12:15 = 900 (calendar 900).
    // FRT = TFS 12:00–12:30 30 min + 13:30–16:00 150 min − hold 60 min = 120 min = 7200 (calendar 4 h = 14400).
    // TAT 15 + 150 − 60 = 105 min = 6300 (calendar 13500). TRT 30 + 13:30–17:00 210 − 60 = 180 min = 10800 (calendar 18000).
    // Handling 12:15 → 17:00: 15 + 210 − 60 = 165 min = 9900 (calendar 17100).
    slaTicketStream(BIZ_I2, BUSINESS_SLA, [
      { at: '2026-12-08T09:00:00Z', command: open({ unitId: 'istanbul', category: 'delivery' }) },
      { at: '2026-12-08T09:15:00Z', command: claim('can') },
      { at: '2026-12-08T11:00:00Z', command: hold('can') },
      { at: '2026-12-08T12:00:00Z', command: resume('can') },
      { at: '2026-12-08T13:00:00Z', command: respond('can', { solution: true }) },
      { at: '2026-12-08T14:00:00Z', command: close('can') },
    ]),
  ],
  [
    BIZ_B1,
    // A holiday weekend. Opened Thu 24 Dec 10:00 local (a half day to 12:00), claimed 10:30; Fri 25 Dec a
    // holiday, then the weekend; answered Mon 28 Dec 08:30, closed 09:00. TTC 1800 (calendar 1800).
    // FRT Thu 10–12 7200 + Mon 08:00–08:30 1800 = 9000 (calendar 94.5 h = 340200). TAT 10:30–12 5400 + 1800 = 7200
    // (calendar 338400). TFS = TRT 7200 + Mon 08–09 3600 = 10800 (calendar 95 h = 342000).
    // Handling 10:30 → Mon 09:00: 5400 + 3600 = 9000 (calendar 340200).
    slaTicketStream(BIZ_B1, BUSINESS_SLA, [
      { at: '2026-12-24T09:00:00Z', command: open({ unitId: 'berlin', category: 'refund' }) },
      { at: '2026-12-24T09:30:00Z', command: claim('jonas') },
      { at: '2026-12-28T07:30:00Z', command: respond('jonas') },
      { at: '2026-12-28T08:00:00Z', command: close('jonas') },
    ]),
  ],
  [
    BIZ_B2,
    // Opened before opening time. Opened Wed 9 Dec 07:00 local, claimed 08:15, answered 09:30, closed 10:00.
    // TTC 08:00–08:15 = 900 (calendar 4500). FRT 08:00–09:30 = 5400 (calendar 9000). TAT 08:15–09:30 = 4500 (calendar 4500).
    // TFS = TRT 08:00–10:00 = 7200 (calendar 10800). Handling 08:15–10:00 = 6300 (calendar 6300).
    slaTicketStream(BIZ_B2, BUSINESS_SLA, [
      { at: '2026-12-09T06:00:00Z', command: open({ unitId: 'berlin', category: 'delivery' }) },
      { at: '2026-12-09T07:15:00Z', command: claim('jonas') },
      { at: '2026-12-09T08:30:00Z', command: respond('jonas') },
      { at: '2026-12-09T09:00:00Z', command: close('jonas') },
    ]),
  ],
  [
    BIZ_N1,
    // No policy (imported): no business measure. Calendar: TTC 0, FRT = TAT 3600, TFS = TRT = handling 7200.
    slaTicketStream(BIZ_N1, BUSINESS_SLA, [
      { at: '2026-12-08T09:00:00Z', command: open({ unitId: 'imported', category: 'refund', claimBy: 'ayse' }) },
      { at: '2026-12-08T10:00:00Z', command: respond('ayse') },
      { at: '2026-12-08T11:00:00Z', command: close('ayse') },
    ]),
  ],
];

/**
 * The fixture as the store records it: the two calendars' CalendarDefined events first (a
 * calendar precedes every ticket event naming it), then the tickets' events in time order.
 */
export function businessRecordedEvents(): RecordedEvent[] {
  const calendars = Object.entries(BUSINESS_CALENDARS).map(([versionId, definition], i): RecordedEvent => {
    const [id, version] = versionId.split('@');
    return {
      streamId: referenceStreamId('calendar', id),
      revision: 0,
      position: `0:${i}`,
      eventId: `calendar-${id}`,
      type: 'CalendarDefined',
      data: { id, version: Number(version), by: 'spec', definition } as unknown as JsonObject,
      metadata: { occurredAt: '2026-11-01T00:00:00.000Z' },
      recordedAt: new Date('2026-11-01T00:00:00Z'),
    };
  });
  const tickets = BUSINESS_STREAMS.flatMap(([ticketId, events]) =>
    events.map((event, revision): RecordedEvent => ({
      streamId: ticketStreamId(ticketId),
      revision,
      position: '',
      eventId: `${ticketId}/${revision}`,
      type: event.type,
      data: event.data as unknown as JsonObject,
      metadata: { occurredAt: event.occurredAt, schemaVersion: 2 },
      recordedAt: new Date(event.occurredAt),
    })),
  );
  tickets.sort((a, b) => Date.parse(String(a.metadata.occurredAt)) - Date.parse(String(b.metadata.occurredAt)) || a.revision - b.revision);
  return [...calendars, ...tickets];
}
