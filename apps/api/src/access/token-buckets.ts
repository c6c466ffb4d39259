/**
 * Token buckets, one per key (an API key, a client address): each holds up to `capacity`
 * tokens and regains `perSecond` of them a second; a request takes one. O(1) per request
 * whatever the limit — @nestjs/throttler's memory store keeps one timestamp per request and
 * filters them all on every hit, which at a thousand requests a second per key is the cost
 * of the request itself.
 */
export interface BucketLimit {
  capacity: number;
  perSecond: number;
}

interface Bucket {
  tokens: number;
  /** epoch ms of the last refill */
  at: number;
}

/** Buckets kept before idle (full) ones are dropped: a flood of addresses cannot grow the map without bound. */
const PRUNE_ABOVE = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: BucketLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token: undefined when granted, else the seconds until one is back. */
  take(key: string): number | undefined {
    const bucket = this.refilled(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return this.secondsUntilToken(bucket);
  }

  /** The seconds until `key` has a token again, or undefined if it has one now (nothing taken). */
  wait(key: string): number | undefined {
    if (!this.buckets.has(key)) return undefined;
    const bucket = this.refilled(key);
    return bucket.tokens >= 1 ? undefined : this.secondsUntilToken(bucket);
  }

  private secondsUntilToken(bucket: Bucket): number {
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond));
  }

  private refilled(key: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune(now);
      bucket = { tokens: this.limit.capacity, at: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.limit.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    return bucket;
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond >= this.limit.capacity) this.buckets.delete(key);
    }
  }
}
