import { describe, expect, it } from '@jest/globals';
import { comparePositions, formatPosition, parsePosition } from './position.js';
import { streamPrefixPattern } from './schema/read-all.js';

describe('PostgreSQL positions', () => {
  it('order by transaction id first, then by sequence, as numbers', () => {
    const ordered = ['3:900', '9:2', '10:1', '10:10', '18446744073709551615:1'];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(comparePositions)).toEqual(ordered);
    expect(comparePositions('10:10', '10:10')).toBe(0);
  });

  it('round-trip values beyond 2^53 exactly', () => {
    const position = formatPosition('18446744073709551615', 9223372036854775807n);
    expect(position).toBe('18446744073709551615:9223372036854775807');
    expect(parsePosition(position)).toEqual({ transactionId: 18446744073709551615n, globalSeq: 9223372036854775807n });
  });

  it('refuse anything that is not "<digits>:<digits>"', () => {
    for (const bad of ['', '10', '10:', ':10', '1:2:3', '-1:2', '1.5:2', ' 1:2', '0x1:2', '12345678901234567890123:1']) {
      expect(() => parsePosition(bad)).toThrow(RangeError);
    }
  });
});

describe('stream prefix patterns', () => {
  it('match the prefix literally in LIKE', () => {
    expect(streamPrefixPattern('ticket-')).toBe('ticket-%');
    expect(streamPrefixPattern('a%b_c\\d')).toBe('a\\%b\\_c\\\\d%');
  });
});
