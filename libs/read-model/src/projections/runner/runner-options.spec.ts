import { describe, expect, it } from '@jest/globals';
import type { Projection } from '../projection.js';
import { runnerSettings } from './runner-options.js';

const handle = async (): Promise<void> => undefined;
const plain: Projection = { name: 'plain', version: 1, eventTypes: ['A'], tables: [], handle };
const bulky: Projection = { ...plain, name: 'bulky', rebuild: { batchSize: 4000, handle } };

describe('runner settings', () => {
  it('fill in the defaults', () => {
    expect(runnerSettings({}, plain)).toEqual({
      batchSize: 1000,
      bulkBatchSize: 10_000,
      bulk: false,
      idlePollMs: 25,
      perStream: false,
      perStreamChunkEvents: 20_000,
      standbyPollMs: 1000,
      retry: { initialMs: 250, maxMs: 30_000 },
      untilCaughtUp: false,
    });
  });

  it("take the bulk batch size from the option, else from the projection's bulk path", () => {
    expect(runnerSettings({}, bulky)).toMatchObject({ bulk: true, bulkBatchSize: 4000 });
    expect(runnerSettings({ bulkBatchSize: 500 }, bulky)).toMatchObject({ bulk: true, bulkBatchSize: 500 });
    expect(runnerSettings({ bulk: false }, bulky).bulk).toBe(false);
  });

  it('use the bulk path only where the projection has one', () => {
    expect(runnerSettings({ bulk: true }, plain).bulk).toBe(false);
  });

  it('use the per-stream phase only where asked and the projection has one', () => {
    const perStreamy: Projection = { ...plain, name: 'per-streamy', perStream: { streamPrefix: 'ticket-', handleStreams: handle } };
    expect(runnerSettings({ perStream: true }, plain).perStream).toBe(false);
    expect(runnerSettings({}, perStreamy).perStream).toBe(false);
    expect(runnerSettings({ perStream: true, perStreamChunkEvents: 500 }, perStreamy)).toMatchObject({
      perStream: true,
      perStreamChunkEvents: 500,
    });
    expect(() => runnerSettings({ perStreamChunkEvents: 0 }, plain)).toThrow('perStreamChunkEvents must be a positive integer, not 0');
  });

  it('refuse a batch size that is not a positive integer, naming the option', () => {
    expect(() => runnerSettings({ batchSize: 0 }, plain)).toThrow('batchSize must be a positive integer, not 0');
    expect(() => runnerSettings({ bulkBatchSize: 2.5 }, bulky)).toThrow('bulkBatchSize must be a positive integer, not 2.5');
    expect(() => runnerSettings({ batchSize: Number.NaN }, plain)).toThrow(RangeError);
  });
});
