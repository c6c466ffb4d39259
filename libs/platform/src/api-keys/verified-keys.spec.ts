import { describe, expect, it } from '@jest/globals';
import type { Caller } from '../context/request-context.js';
import { VerifiedKeys } from './verified-keys.js';

const analyst: Caller = { apiKeyId: 'k1', name: 'dashboards', roles: ['analyst'] };

function cacheAt(start: number): { keys: VerifiedKeys; advance(ms: number): void } {
  let now = start;
  return { keys: new VerifiedKeys(5000, () => now), advance: (ms) => (now += ms) };
}

describe('VerifiedKeys', () => {
  it('keeps a verified key for the TTL and no longer', () => {
    const { keys, advance } = cacheAt(1000);
    keys.settle(keys.beginRead(), 'h1', analyst);
    advance(4999);
    expect(keys.get('h1')).toEqual(analyst);
    advance(1);
    expect(keys.get('h1')).toBeUndefined();
  });

  it('never keeps an unknown or revoked key, and drops a kept one the table no longer has', () => {
    const { keys } = cacheAt(0);
    keys.settle(keys.beginRead(), 'h1', analyst);
    keys.settle(keys.beginRead(), 'h1', undefined);
    expect(keys.get('h1')).toBeUndefined();
  });

  it('forgets every kept key at once (a revocation in this process)', () => {
    const { keys } = cacheAt(0);
    keys.settle(keys.beginRead(), 'h1', analyst);
    keys.settle(keys.beginRead(), 'h2', { ...analyst, apiKeyId: 'k2' });
    keys.forget();
    expect(keys.get('h1')).toBeUndefined();
    expect(keys.get('h2')).toBeUndefined();
  });

  it('does not keep what a read found when a revocation happened while it ran', () => {
    const { keys } = cacheAt(0);
    const read = keys.beginRead();
    keys.forget();
    keys.settle(read, 'h1', analyst);
    expect(keys.get('h1')).toBeUndefined();
    keys.settle(keys.beginRead(), 'h1', analyst);
    expect(keys.get('h1')).toEqual(analyst);
  });
});
