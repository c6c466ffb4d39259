import { describe, expect, it } from '@jest/globals';
import { describeCost, lsnBytes } from './append-profile.js';

describe('the append bench’s profile', () => {
  it('reads an LSN as a byte offset: the high word counts 4 GiB', () => {
    expect(lsnBytes('0/0')).toBe(0n);
    expect(lsnBytes('16/B374D848') - lsnBytes('16/B374D000')).toBe(0x848n);
    expect(lsnBytes('1/0') - lsnBytes('0/FFFFFFFF')).toBe(1n);
  });

  it('gives CPU and WAL per event, and states as a share of the writers, largest first', () => {
    const described = describeCost(
      {
        operations: 1000,
        benchCpuMs: 100,
        postgresCpuMs: 250,
        walBytes: 1_381_000,
        states: new Map([
          ['idle (waiting for the client)', 60],
          ['LWLock/WALWrite', 100],
        ]),
        samples: 25,
      },
      8,
    );
    expect(described).toEqual({
      cpu: '100.0 µs bench + 250.0 µs PostgreSQL',
      wal: '1381 B',
      states: 'LWLock/WALWrite 50%, idle (waiting for the client) 30%',
    });
  });
});
