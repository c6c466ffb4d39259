import { describe, expect, it } from '@jest/globals';
import { firstFailingEvent } from './failed-batch.js';

describe('the first failing event of a batch', () => {
  it('is found by applying the events in order, and none after it is applied', async () => {
    const applied: number[] = [];
    const failing = await firstFailingEvent([1, 2, 3, 4, 5], async (event) => {
      if (event === 3 || event === 5) throw new Error(`event ${event} is poisoned`);
      applied.push(event);
    });
    expect(failing?.event).toBe(3);
    expect(failing?.error).toEqual(new Error('event 3 is poisoned'));
    expect(applied).toEqual([1, 2]);
  });

  it('is none when every event applies on its own', async () => {
    const applied: string[] = [];
    expect(await firstFailingEvent(['a', 'b'], async (event) => void applied.push(event))).toBeUndefined();
    expect(applied).toEqual(['a', 'b']);
  });

  it('may depend on the events before it, which were applied first', async () => {
    const events = [
      { id: 1, type: 'opened' },
      { id: 2, type: 'closed' },
      { id: 3, type: 'closed' },
    ];
    const closed = new Set<string>();
    // A second close fails: on its own it would apply, after the first it does not.
    const failing = await firstFailingEvent(events, async (event) => {
      if (event.type === 'closed' && closed.has('ticket')) throw new Error('closed twice');
      if (event.type === 'closed') closed.add('ticket');
    });
    expect(failing).toEqual({ event: { id: 3, type: 'closed' }, error: new Error('closed twice') });
  });
});
