import { describe, expect, it } from '@jest/globals';
import type { JsonValue } from '../port/event-store.js';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and writes no whitespace', () => {
    const value: JsonValue = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text for the same value whatever order its keys were built in', () => {
    const one: JsonValue = { customer: { tier: 'gold', id: 'c-1' }, priority: 'high', tags: ['a', 'b'] };
    const other: JsonValue = { tags: ['a', 'b'], priority: 'high', customer: { id: 'c-1', tier: 'gold' } };
    expect(JSON.stringify(one)).not.toBe(JSON.stringify(other));
    expect(canonicalJson(one)).toBe(canonicalJson(other));
  });

  it('keeps array order: arrays are sequences, not sets', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('orders keys by UTF-16 code units, as RFC 8785 does (not by locale)', () => {
    // RFC 8785 §3.2.3: "\r" < "1" < "\u0080" < "\u00f6" < "\u20ac" < "\ud83d\ude00" < "\ufb33" in code-unit order.
    const value: JsonValue = { '\ufb33': 7, '\u20ac': 5, '\r': 1, '\ud83d\ude00': 6, '1': 2, '\u00f6': 4, '\u0080': 3 };
    expect(canonicalJson(value)).toBe('{"\\r":1,"1":2,"\u0080":3,"\u00f6":4,"\u20ac":5,"\ud83d\ude00":6,"\ufb33":7}');
    expect(canonicalJson({ b: 1, B: 2, a: 3 })).toBe('{"B":2,"a":3,"b":1}');
  });

  it('writes numbers and strings as JSON.stringify does (the RFC 8785 forms)', () => {
    expect(canonicalJson([1.0, -0, 1e21, 0.000001, 1e-7, 123.456, -5])).toBe('[1,0,1e+21,0.000001,1e-7,123.456,-5]');
    expect(canonicalJson('tab\there "quoted" \\ \u0001 é')).toBe('"tab\\there \\"quoted\\" \\\\ \\u0001 é"');
    expect(canonicalJson({ '': '', x: [] })).toBe('{"":"","x":[]}');
  });

  it('refuses what JSON cannot carry instead of writing null or dropping it', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow('no form for the number Infinity');
    expect(() => canonicalJson({ a: undefined } as unknown as JsonValue)).toThrow('type undefined');
  });

  it('is what JSON.parse reads back to an equal value', () => {
    const value: JsonValue = { z: [1, 'two', { three: 3, four: [null, false] }], a: { nested: { deeper: 'yes' } } };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});
