import { describe, expect, it } from '@jest/globals';
import type { ReadAllPage } from '#event-store';
import { ReadAhead } from './read-ahead.js';

/** A reader that answers every read with an empty page after the position read, and records the reads. */
function reader(failAfter?: string) {
  const reads: Array<[string | null, number]> = [];
  const failures: Array<[string, unknown]> = [];
  const read = async (after: string | null, maxCount: number): Promise<ReadAllPage> => {
    reads.push([after, maxCount]);
    if (after === failAfter) throw new Error(`the store failed after ${after}`);
    return { events: [], nextAfter: `${after ?? '0'}+`, isEnd: false };
  };
  return { reads, failures, readAhead: new ReadAhead(read, (after, error) => failures.push([after, error])) };
}

describe('read-ahead', () => {
  it('hands out the page read ahead when the runner asks for its position, and reads it once', async () => {
    const { reads, readAhead } = reader();
    expect(await readAhead.next(null, 10)).toEqual({ events: [], nextAfter: '0+', isEnd: false });
    readAhead.start('0+', 10);
    expect(await readAhead.next('0+', 10)).toEqual({ events: [], nextAfter: '0++', isEnd: false });
    expect(reads).toEqual([
      [null, 10],
      ['0+', 10],
    ]);
  });

  it('reads afresh for another position, after the page was used, and after a discard', async () => {
    const { reads, readAhead } = reader();
    readAhead.start('5', 10);
    await readAhead.next('4', 7);
    await readAhead.next('5', 7);
    readAhead.start('6', 10);
    readAhead.discard();
    await readAhead.next('6', 7);
    expect(reads).toEqual([
      ['5', 10],
      ['4', 7],
      ['5', 7],
      ['6', 10],
      ['6', 7],
    ]);
  });

  it('reports a failed read-ahead, and fails where a used one is awaited', async () => {
    const { failures, readAhead } = reader('9');
    readAhead.start('9', 10);
    await expect(readAhead.next('9', 10)).rejects.toThrow('the store failed after 9');
    readAhead.start('9', 10);
    readAhead.discard();
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures.map(([after, error]) => [after, error instanceof Error ? error.message : error])).toEqual([
      ['9', 'the store failed after 9'],
      ['9', 'the store failed after 9'],
    ]);
  });
});
