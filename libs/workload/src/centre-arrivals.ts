import { IANAZone } from 'luxon';
import { addBusinessMs, defineCalendar, type WorkingHoursCalendar } from '#ticketing';
import { CENTRE_ZONE, centreHolidays, officeCalendar } from './contact-centre.js';
import { pickWeighted } from './seeded-random.js';
import { CATEGORIES, CHANNELS } from './ticket-load.js';

/**
 * When the simulated centre's tickets arrive, on which channel, about what. A weekly profile in
 * local time: phone and store tickets only while the office is open (weekdays 08:00–18:00, not
 * on holidays), with peaks in the late morning and the afternoon; e-mail, web and SMS round the
 * clock, busiest in office hours, quiet at night, lighter on Saturday, little on Sunday and on
 * holidays. Each day's volume varies by ±15%. Exactly `tickets` arrivals over `days`, drawn by
 * stratified inverse-transform sampling over the hours of the span (a non-homogeneous arrival
 * process whose hourly counts follow the profile), so they come out in time order.
 */

export const CHANNEL_SHARES: Readonly<Record<string, number>> = { phone: 0.35, web: 0.25, email: 0.2, store: 0.1, sms: 0.1 };

/** Channels that only arrive while the office is open: someone has to pick up the phone or stand at the counter. */
export const OPENING_HOURS_CHANNELS: readonly string[] = ['phone', 'store'];

const HOUR_MS = 3_600_000;

/** Relative volume per local hour (0–23): the office channels' hours are 08–17. */
const OFFICE_HOURS = [0, 0, 0, 0, 0, 0, 0, 0, 0.6, 1.2, 1.4, 1.3, 0.8, 0.9, 1.2, 1.3, 1.1, 0.7, 0, 0, 0, 0, 0, 0];
const ROUND_THE_CLOCK_HOURS = [
  0.15, 0.1, 0.08, 0.08, 0.08, 0.1, 0.2, 0.4, 0.8, 1.3, 1.4, 1.3, 1.0, 1.0, 1.2, 1.3, 1.2, 0.9, 0.7, 0.7, 0.7, 0.6, 0.4, 0.25,
];
/** Relative volume per local weekday, Monday first: the week starts busy and tails off. */
const WEEKDAYS = [1.15, 1.0, 1.0, 1.0, 0.95, 0.5, 0.25];
const HOLIDAY = 0.3;
const DAILY_SPREAD = 0.15;

/** A local hour of the centre: its weekday (0 = Monday), hour of day, and whether the office is open. */
export interface LocalHour {
  weekday: number;
  hour: number;
  holiday: boolean;
  officeOpen: boolean;
}

export class CentreClock {
  private readonly zone = IANAZone.create(CENTRE_ZONE);
  private readonly office: WorkingHoursCalendar = defineCalendar(officeCalendar());
  private readonly holidays = new Set(centreHolidays());

  localDate(instant: number): string {
    return new Date(instant + this.zone.offset(instant) * 60_000).toISOString().slice(0, 10);
  }

  localHour(instant: number): LocalHour {
    const local = new Date(instant + this.zone.offset(instant) * 60_000);
    return {
      weekday: (local.getUTCDay() + 6) % 7,
      hour: local.getUTCHours(),
      holiday: this.holidays.has(local.toISOString().slice(0, 10)),
      officeOpen: this.officeOpen(instant),
    };
  }

  officeOpen(instant: number): boolean {
    return addBusinessMs(this.office, instant, 0) === instant;
  }
}

/** The channel's relative arrival rate in a local hour (before its share). */
export function hourlyProfile(channel: string, at: LocalHour): number {
  if (OPENING_HOURS_CHANNELS.includes(channel)) return at.officeOpen ? OFFICE_HOURS[at.hour] * WEEKDAYS[at.weekday] : 0;
  return ROUND_THE_CLOCK_HOURS[at.hour] * WEEKDAYS[at.weekday] * (at.holiday ? HOLIDAY : 1);
}

/** Each channel's profile summed over a week without holidays: its rates scale so the channel shares hold in such a week. */
const WEEKLY_SUM = Object.fromEntries(
  CHANNELS.map((channel) => {
    let sum = 0;
    for (let weekday = 0; weekday < 7; weekday++)
      for (let hour = 0; hour < 24; hour++)
        sum += hourlyProfile(channel, { weekday, hour, holiday: false, officeOpen: weekday < 5 && hour >= 8 && hour < 18 });
    return [channel, sum];
  }),
);

/** Expected tickets per channel (CHANNELS order) in a local hour, per ticket of a regular week. */
export function channelRates(at: LocalHour): number[] {
  return CHANNELS.map((channel) => (CHANNEL_SHARES[channel] * hourlyProfile(channel, at)) / WEEKLY_SUM[channel]);
}

export interface Arrival {
  /** epoch ms */
  at: number;
  channel: string;
}

export function* centreArrivals(
  random: () => number,
  options: { tickets: number; start: Date; days: number },
  clock: CentreClock = new CentreClock(),
): Generator<Arrival> {
  const hours = options.days * 24;
  const start = options.start.getTime();
  const rates = new Float64Array(hours * CHANNELS.length);
  const cumulative = new Float64Array(hours);
  let total = 0;
  let day = '';
  let dayFactor = 1;
  for (let h = 0; h < hours; h++) {
    const instant = start + h * HOUR_MS;
    const local = clock.localHour(instant);
    const date = clock.localDate(instant);
    if (date !== day) {
      day = date;
      dayFactor = 1 - DAILY_SPREAD + 2 * DAILY_SPREAD * random();
    }
    channelRates(local).forEach((rate, c) => {
      rates[h * CHANNELS.length + c] = rate;
      total += rate * dayFactor;
    });
    cumulative[h] = total;
  }
  let cell = 0;
  for (let i = 0; i < options.tickets; i++) {
    // The i-th of `tickets` equal strata of the span's total rate: one arrival in each, in order.
    const u = ((i + random()) * total) / options.tickets;
    while (cell < hours - 1 && cumulative[cell] <= u) cell += 1;
    const before = cell === 0 ? 0 : cumulative[cell - 1];
    const fraction = Math.min(Math.max((u - before) / (cumulative[cell] - before), 0), 1 - 1e-9);
    const weights = Array.from(rates.subarray(cell * CHANNELS.length, (cell + 1) * CHANNELS.length));
    yield { at: start + cell * HOUR_MS + Math.floor(fraction * HOUR_MS), channel: pickWeighted(random, CHANNELS, weights) };
  }
}

/**
 * Categories by volume, most first, per channel: Zipf-like weights (1/rank^1.1), so a few
 * categories carry most tickets and each channel has its own leaders (invoices on the phone,
 * deliveries on the web, contracts in the store).
 */
const CATEGORY_RANKS: Readonly<Record<string, readonly string[]>> = {
  phone: [
    'wrong-invoice',
    'outage',
    'complaint',
    'refund',
    'technical',
    'delivery',
    'cancellation',
    'contract',
    'billing-address',
    'info-request',
  ],
  email: [
    'wrong-invoice',
    'refund',
    'complaint',
    'contract',
    'info-request',
    'billing-address',
    'delivery',
    'cancellation',
    'technical',
    'outage',
  ],
  web: [
    'delivery',
    'wrong-invoice',
    'technical',
    'info-request',
    'refund',
    'cancellation',
    'billing-address',
    'complaint',
    'contract',
    'outage',
  ],
  store: [
    'contract',
    'cancellation',
    'wrong-invoice',
    'billing-address',
    'delivery',
    'refund',
    'complaint',
    'info-request',
    'technical',
    'outage',
  ],
  sms: [
    'delivery',
    'outage',
    'wrong-invoice',
    'info-request',
    'refund',
    'technical',
    'complaint',
    'cancellation',
    'contract',
    'billing-address',
  ],
};
export const ZIPF_EXPONENT = 1.1;
const ZIPF_WEIGHTS = CATEGORIES.map((_, rank) => 1 / (rank + 1) ** ZIPF_EXPONENT);

export function pickCategory(random: () => number, channel: string): string {
  const ranks = CATEGORY_RANKS[channel] ?? CATEGORIES;
  return pickWeighted(random, ranks, ZIPF_WEIGHTS);
}

/** Each category's expected share of a channel's tickets. */
export function categoryShares(channel: string): Record<string, number> {
  const ranks = CATEGORY_RANKS[channel] ?? CATEGORIES;
  const sum = ZIPF_WEIGHTS.reduce((a, b) => a + b, 0);
  return Object.fromEntries(ranks.map((category, rank) => [category, ZIPF_WEIGHTS[rank] / sum]));
}
