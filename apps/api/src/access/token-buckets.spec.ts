import { describe, expect, it } from '@jest/globals';
import { TokenBuckets } from './token-buckets.js';

describe('TokenBuckets', () => {
  it('grants up to the capacity at once, then refuses with the seconds until a token is back', () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 3, perSecond: 0.5 }, () => now);
    expect([buckets.take('k'), buckets.take('k'), buckets.take('k')]).toEqual([undefined, undefined, undefined]);
    expect(buckets.take('k')).toBe(2);
    now = 1_000;
    expect(buckets.take('k')).toBe(1);
    now = 2_000;
    expect(buckets.take('k')).toBeUndefined();
    expect(buckets.take('k')).toBe(2);
  });

  it('keeps keys apart', () => {
    const buckets = new TokenBuckets({ capacity: 1, perSecond: 1 }, () => 0);
    expect(buckets.take('a')).toBeUndefined();
    expect(buckets.take('b')).toBeUndefined();
    expect(buckets.take('a')).toBe(1);
  });

  it('refills at the rate, never above the capacity', () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 2, perSecond: 10 }, () => now);
    buckets.take('k');
    buckets.take('k');
    now = 60_000;
    expect([buckets.take('k'), buckets.take('k'), buckets.take('k')]).toEqual([undefined, undefined, 1]);
  });

  it('wait tells whether a key is out of tokens without taking one', () => {
    const buckets = new TokenBuckets({ capacity: 1, perSecond: 1 / 60 }, () => 0);
    expect(buckets.wait('ip')).toBeUndefined();
    buckets.take('ip');
    expect(buckets.wait('ip')).toBe(60);
    expect(buckets.wait('ip')).toBe(60);
  });
});
