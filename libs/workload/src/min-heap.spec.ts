import { describe, expect, it } from '@jest/globals';
import { seededRandom } from './ticket-load.js';
import { MinHeap } from './min-heap.js';

describe('MinHeap', () => {
  it('pops in the comparator’s order, whatever the order of the pushes', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 500 }, () => Math.floor(random() * 100));
    const heap = new MinHeap<number>((a, b) => a < b);
    for (const value of values) heap.push(value);
    expect(heap.size).toBe(values.length);
    const popped: number[] = [];
    for (let value = heap.pop(); value !== undefined; value = heap.pop()) popped.push(value);
    expect(popped).toEqual([...values].sort((a, b) => a - b));
    expect(heap.peek()).toBeUndefined();
  });

  it('interleaves pops and pushes', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    heap.push(5);
    heap.push(3);
    expect(heap.pop()).toBe(3);
    heap.push(1);
    heap.push(4);
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual([1, 4, 5, undefined]);
  });
});
