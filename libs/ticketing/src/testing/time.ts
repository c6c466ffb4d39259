/**
 * Instants for specs, written as offsets from one fixed start (`T0`) so a spec reads like a
 * timeline: `at('4h 1m')` is four hours and a minute after T0.
 */
export const T0 = '2026-03-02T09:00:00.000Z';

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** A duration such as '3d', '4h 1m', '30m 1ms', '0', in milliseconds. */
export function duration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  let total = 0;
  for (const part of trimmed.split(/\s+/)) {
    const match = /^(\d+)(d|h|ms|m|s)$/.exec(part);
    if (!match) throw new Error(`not a duration: "${text}"`);
    total += Number(match[1]) * (UNIT_MS[match[2]] ?? 0);
  }
  return total;
}

/** The instant `offset` after T0 (ISO-8601 UTC with milliseconds, as events carry them). */
export function at(offset: string): string {
  return new Date(Date.parse(T0) + duration(offset)).toISOString();
}
