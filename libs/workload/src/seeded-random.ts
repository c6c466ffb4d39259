/**
 * The seeded draws every generated workload is made of. One copy of each, so a seed means the
 * same sequence everywhere (the specs, the benches, the simulator).
 */

/**
 * mulberry32: small, fast, good enough for workloads and seeded specs; not for anything secret.
 * The one copy in the project: every seeded sequence comes from here, so a seed means one thing.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

/** One of `list`, each as likely as its weight (weights ≥ 0, not all 0). */
export function pickWeighted<T>(random: () => number, list: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let u = random() * total;
  for (let i = 0; i < list.length; i++) {
    u -= weights[i];
    if (u < 0 && weights[i] > 0) return list[i];
  }
  // Rounding left u a hair above 0: the last item with weight.
  for (let i = list.length - 1; i >= 0; i--) if (weights[i] > 0) return list[i];
  throw new RangeError('pickWeighted: every weight is 0');
}

/** Milliseconds, exponentially distributed around a mean in minutes: waits are mostly short, some very long. */
export function minutes(random: () => number, mean: number): number {
  return Math.max(0.01, -Math.log(1 - random()) * mean) * 60_000;
}

/** A version-4-shaped UUID from the seeded sequence (so ticket ids repeat with the seed). */
export function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  const variant = '89ab'[Math.floor(random() * 4)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
