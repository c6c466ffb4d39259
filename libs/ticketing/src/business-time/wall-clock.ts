import type { IANAZone } from 'luxon';
import { DAY_MS, zoneOffsetMs } from './zone-offsets.js';

export { DAY_MS, MINUTE_MS } from './zone-offsets.js';

/**
 * Local dates are counted as epoch days (days since 1970-01-01), and a local wall-clock time as
 * "wall milliseconds": epochDay × DAY_MS + time of day, as if the zone were UTC. The zone's
 * offset turns it into an instant. Luxon's IANAZone gives the offset from the tz database.
 */
export function epochDayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** 0 = Monday … 6 = Sunday (1970-01-01, epoch day 0, was a Thursday). */
export function weekdayIndex(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7;
}

const offsetMs = zoneOffsetMs;

/** The local date at an instant. */
export function localEpochDay(zone: IANAZone, instant: number): number {
  return Math.floor((instant + offsetMs(zone, instant)) / DAY_MS);
}

/**
 * The instant of a local wall-clock time, by KPIS.md's rule (Temporal's `compatible`): a time in
 * a spring-forward gap moves forward by the gap; an ambiguous fall-back time takes the earlier
 * instant. Not Luxon's `DateTime.fromObject`: it settles an ambiguous time with an offset
 * guessed from the process's start-up date (luxon 3.7.2, guessOffsetForZone), so the same
 * calendar would give 02:30 CEST on a process started in summer and 02:30 CET on one started in
 * winter. The offsets a day either side bracket any one transition; a candidate is a real
 * reading only if the zone has that offset at that instant.
 */
export function wallToInstant(zone: IANAZone, wallMs: number): number {
  const before = offsetMs(zone, wallMs - DAY_MS);
  const after = offsetMs(zone, wallMs + DAY_MS);
  const readings = (before === after ? [before] : [before, after])
    .map((offset) => ({ offset, instant: wallMs - offset }))
    .filter(({ offset, instant }) => offsetMs(zone, instant) === offset)
    .map(({ instant }) => instant);
  if (readings.length > 0) return Math.min(...readings);
  // In the gap: read with the offset from before the change, i.e. moved forward by the gap.
  return wallMs - before;
}

/** The offset in force, or null if it changes anywhere within [start, start + days) (checked at every local midnight). */
export function steadyOffset(zone: IANAZone, start: number, days: number): number | null {
  const offset = offsetMs(zone, start);
  for (let day = 1; day <= days; day++) if (offsetMs(zone, start + day * DAY_MS) !== offset) return null;
  return offset;
}
