/** How figures are shown. Pure: the browser specs format expected.json with these same functions. */

/** A fraction 0–1 as a percentage with one decimal; null (no denominator) as "n/a". */
export function formatPercent(value: number | null, notAvailable: string): string {
  return value === null ? notAvailable : `${(value * 100).toFixed(1)} %`;
}

/** Seconds as "1 d 2 h 3 min", "2 h 5 min", "3 min 20 s" or "42 s" (two largest units). */
export function formatDuration(seconds: number | null, notAvailable: string): string {
  if (seconds === null) return notAvailable;
  const total = Math.round(seconds);
  const parts: Array<[number, string]> = [
    [Math.floor(total / 86_400), 'd'],
    [Math.floor((total % 86_400) / 3_600), 'h'],
    [Math.floor((total % 3_600) / 60), 'min'],
    [total % 60, 's'],
  ];
  const first = parts.findIndex(([amount]) => amount > 0);
  if (first === -1) return '0 s';
  return parts
    .slice(first, first + 2)
    .filter(([amount]) => amount > 0)
    .map(([amount, unit]) => `${amount} ${unit}`)
    .join(' ');
}

export function formatCount(value: number | null, notAvailable: string): string {
  return value === null ? notAvailable : String(value);
}

/** An instant as local time in the report's zone: 2026-11-14 13:33:12. */
export function formatInstant(iso: string | null, timeZone: string, none: string): string {
  if (iso === null) return none;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}
