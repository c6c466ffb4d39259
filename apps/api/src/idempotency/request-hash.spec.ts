import { describe, expect, it } from '@jest/globals';
import { commandIdFor } from '#event-store/ids/command-id.js';
import { canonicalJson, requestHash } from './request-hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('drops undefined fields like JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('requestHash', () => {
  it('is the same for the same request whatever the key order', () => {
    expect(requestHash('post', '/tickets', { a: 1, b: 2 })).toBe(requestHash('POST', '/tickets', { b: 2, a: 1 }));
  });

  it('differs when the method, the path or the body differs', () => {
    const base = requestHash('POST', '/tickets/1/claim', { userId: 'u' });
    expect(requestHash('PUT', '/tickets/1/claim', { userId: 'u' })).not.toBe(base);
    expect(requestHash('POST', '/tickets/2/claim', { userId: 'u' })).not.toBe(base);
    expect(requestHash('POST', '/tickets/1/claim', { userId: 'v' })).not.toBe(base);
  });
});

describe('commandIdFor', () => {
  it('is a UUID v5, stable per API key and idempotency key', () => {
    const id = commandIdFor('key-1', 'abc');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(commandIdFor('key-1', 'abc')).toBe(id);
    expect(commandIdFor('key-2', 'abc')).not.toBe(id);
    expect(commandIdFor('key-1', 'abd')).not.toBe(id);
  });
});
