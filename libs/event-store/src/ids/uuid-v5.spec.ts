import { describe, expect, it } from '@jest/globals';
import { eventIdFor, uuidV5 } from './uuid-v5.js';

describe('uuidV5', () => {
  it('matches the RFC 9562 example (DNS namespace, "www.example.com")', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('derives stable, distinct event ids per command and index', () => {
    const command = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(eventIdFor(command, 0)).toBe(eventIdFor(command, 0));
    expect(eventIdFor(command, 0)).not.toBe(eventIdFor(command, 1));
    expect(eventIdFor(command, 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
