import { describe, expect, it } from '@jest/globals';
import { generateApiKey, hashApiKey, idOfGivenKey, keyFromHeaders } from './api-key-secret.js';

describe('API key secrets', () => {
  it('makes keys of the form bk_<keyId>_<secret>, each different, stored as a SHA-256 hash', () => {
    const first = generateApiKey();
    const second = generateApiKey();
    expect(first.key).toMatch(/^bk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(first.key.startsWith(`bk_${first.id}_`)).toBe(true);
    expect(first.hash).toBe(hashApiKey(first.key));
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.key).not.toBe(first.key);
  });

  it('gives a supplied key its own id when it has our shape, else one derived from its hash', () => {
    const generated = generateApiKey();
    expect(idOfGivenKey(generated.key)).toBe(generated.id);
    const own = idOfGivenKey('a-long-operator-chosen-secret-0123456789');
    expect(own).toMatch(/^env[0-9a-f]{9}$/);
    expect(idOfGivenKey('a-long-operator-chosen-secret-0123456789')).toBe(own);
  });

  it('reads the key from Authorization: Bearer, else from X-API-Key', () => {
    expect(keyFromHeaders('Bearer abc', undefined)).toBe('abc');
    expect(keyFromHeaders('bearer  abc ', 'other')).toBe('abc');
    expect(keyFromHeaders(undefined, ' xyz ')).toBe('xyz');
    expect(keyFromHeaders('Basic dXNlcjpwYXNz', 'xyz')).toBe('xyz');
    expect(keyFromHeaders('Basic dXNlcjpwYXNz', undefined)).toBeUndefined();
    expect(keyFromHeaders(undefined, '')).toBeUndefined();
  });
});
