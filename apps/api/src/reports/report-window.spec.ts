import { describe, expect, it } from '@jest/globals';
import { wantsCsv } from './report-answer.js';
import { hasUtcOffset } from './report-window.js';

describe('hasUtcOffset', () => {
  it('sees an offset only after a time', () => {
    expect(
      [
        '2026-11-20T09:00:00Z',
        '2026-11-20T09:00:00.123z',
        '2026-11-08T00:00:00+03:00',
        '2026-11-08T00:00+0300',
        '2026-11-08T00:00:00-05',
      ].map(hasUtcOffset),
    ).toEqual([true, true, true, true, true]);
    // A bare date's "-08" is its day, not an offset; a time without one is local.
    expect(['2026-11-08', '2026-11-08T00:00:00', '2026-11-08T00:00'].map(hasUtcOffset)).toEqual([false, false, false]);
  });
});

describe('wantsCsv', () => {
  it('answers CSV when Accept names text/csv, whatever its parameters or company', () => {
    expect(['text/csv', 'text/csv; charset=utf-8', 'application/json, TEXT/CSV;q=0.9'].map(wantsCsv)).toEqual([true, true, true]);
    expect([undefined, '', '*/*', 'application/json', 'text/csvx'].map(wantsCsv)).toEqual([false, false, false, false, false]);
  });
});
