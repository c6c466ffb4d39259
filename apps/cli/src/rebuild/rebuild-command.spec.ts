import { describe, expect, it } from '@jest/globals';
import { eventCountsProjection } from '#read-model/projections/sample/event-counts.projection.js';
import { UsageError } from '../usage.js';
import { parseRebuildArgs } from './rebuild-command.js';

const registry = [
  eventCountsProjection(),
  eventCountsProjection({ version: 2 }),
  eventCountsProjection({ name: 'other', tablePrefix: 'other_' }),
];

describe('rebuild arguments', () => {
  it('rebuilds every registered projection by default, or the one named', () => {
    expect(parseRebuildArgs([], registry)).toEqual({ names: ['event_counts', 'other'], batchSize: undefined, dropRetired: false });
    expect(parseRebuildArgs(['other', '--batch-size', '500', '--drop-retired'], registry)).toEqual({
      names: ['other'],
      batchSize: 500,
      dropRetired: true,
    });
    expect(parseRebuildArgs(['--batch-size=20'], registry).batchSize).toBe(20);
  });

  it('refuses an unknown projection, a bad batch size and unknown options', () => {
    expect(() => parseRebuildArgs(['nope'], registry)).toThrow(UsageError);
    expect(() => parseRebuildArgs(['nope'], registry)).toThrow('registered: event_counts, other');
    for (const args of [['--batch-size', '0'], ['--batch-size', 'ten'], ['--fast'], ['a', 'b']])
      expect(() => parseRebuildArgs(args, registry)).toThrow(UsageError);
  });
});
