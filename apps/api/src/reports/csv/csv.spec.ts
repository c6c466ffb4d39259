import { describe, expect, it } from '@jest/globals';
import { toCsv } from './csv.js';

describe('toCsv (RFC 4180)', () => {
  it('writes a header row and CRLF-ended records', () => {
    expect(
      toCsv(
        ['unit_id', 'total'],
        [
          { unit_id: 'billing', total: 15 },
          { unit_id: 'field', total: 17 },
        ],
      ),
    ).toBe('unit_id,total\r\nbilling,15\r\nfield,17\r\n');
  });

  it('quotes fields holding commas, quotes or line breaks, doubling the quotes', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [{ a: 'x,y', b: 'say "hi"', c: 'two\nlines', d: ' kept ' }])).toBe(
      'a,b,c,d\r\n"x,y","say ""hi""","two\nlines", kept \r\n',
    );
  });

  it('writes null as an empty field, booleans as words and instants in UTC ISO-8601', () => {
    expect(toCsv(['a', 'b', 'c'], [{ a: null, b: false, c: new Date('2026-11-20T09:00:00+03:00') }])).toBe(
      'a,b,c\r\n,false,2026-11-20T06:00:00.000Z\r\n',
    );
  });

  it('writes only the header for no rows', () => {
    expect(toCsv(['a'], [])).toBe('a\r\n');
  });
});
