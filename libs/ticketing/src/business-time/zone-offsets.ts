import type { IANAZone } from 'luxon';

/**
 * A zone's UTC offset at an instant, from the tz database through Luxon's IANAZone, kept as a
 * timeline of constant-offset segments per 64-day chunk. Asking Intl for an offset costs
 * microseconds and business-time arithmetic asks several times a day it crosses; the timeline
 * asks once a day of a chunk, the first time the chunk is needed, and finds each change to the
 * millisecond by bisection. Assumes, as the tz database bears out, that a zone's offset does
 * not change and change back within one day.
 */
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const CHUNK_DAYS = 64;
const CHUNK_MS = CHUNK_DAYS * DAY_MS;
const CHUNKS_PER_ZONE = 1024;

interface Segment {
  readonly start: number;
  readonly offsetMs: number;
}

const timelines = new Map<string, Map<number, readonly Segment[]>>();

export function zoneOffsetMs(zone: IANAZone, instant: number): number {
  let chunks = timelines.get(zone.name);
  if (!chunks) timelines.set(zone.name, (chunks = new Map()));
  const chunk = Math.floor(instant / CHUNK_MS);
  let segments = chunks.get(chunk);
  if (!segments) {
    if (chunks.size >= CHUNKS_PER_ZONE) chunks.clear();
    segments = chunkSegments(zone, chunk);
    chunks.set(chunk, segments);
  }
  let found = segments[0];
  for (const segment of segments) if (segment.start <= instant) found = segment;
  return found.offsetMs;
}

function chunkSegments(zone: IANAZone, chunk: number): Segment[] {
  const raw = (instant: number) => zone.offset(instant) * MINUTE_MS;
  const start = chunk * CHUNK_MS;
  const end = start + CHUNK_MS;
  const segments: Segment[] = [{ start, offsetMs: raw(start) }];
  let before = start;
  let offset = segments[0].offsetMs;
  for (let day = 1; day <= CHUNK_DAYS; day++) {
    const at = start + day * DAY_MS;
    const next = raw(at);
    if (next !== offset) {
      // The first millisecond with the new offset lies in (before, at].
      let low = before;
      let high = at;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (raw(middle) === offset) low = middle;
        else high = middle;
      }
      if (high < end) segments.push({ start: high, offsetMs: raw(high) });
      offset = next;
    }
    before = at;
  }
  return segments;
}
