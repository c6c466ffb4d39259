import { describe, expect, it } from '@jest/globals';
import { comparePositions, formatPosition, parsePosition } from './position.js';

describe('EventStoreDB positions', () => {
  it('round-trip commit and prepare beyond 2^53 exactly', () => {
    const position = { commit: 18_446_744_073_709_551_615n, prepare: 9_007_199_254_740_993n };
    const text = formatPosition(position);
    expect(text).toBe('18446744073709551615/9007199254740993');
    expect(parsePosition(text)).toEqual(position);
  });

  it('order by commit first, then prepare', () => {
    expect(comparePositions('10/20', '11/0')).toBe(-1);
    expect(comparePositions('11/5', '11/4')).toBe(1);
    expect(comparePositions('11/5', '11/5')).toBe(0);
    expect(comparePositions('9007199254740993/1', '9007199254740992/2')).toBe(1);
  });

  it('refuse a PostgreSQL position and other text', () => {
    expect(() => parsePosition('123:456')).toThrow(RangeError);
    expect(() => parsePosition('')).toThrow('not an EventStoreDB position');
    expect(() => parsePosition('1/2/3')).toThrow(RangeError);
  });
});
