import { describe, expect, it } from '@jest/globals';
import { ProgressTracker, type RunnerProgress } from './runner-progress.js';

function tracker(): { progress: ProgressTracker; told: RunnerProgress[] } {
  const told: RunnerProgress[] = [];
  return { progress: new ProgressTracker('counts', 3, (progress) => told.push(progress)), told };
}

describe('runner progress', () => {
  it('counts the batches this runner commits, not what the version held before it started', () => {
    const { progress, told } = tracker();
    progress.seen({ events_applied: '500' });
    progress.committed('1:10', 'building', 10);
    progress.committed('1:25', 'building', 15);
    progress.caughtUp('1:25', 'building');
    expect(told).toEqual([
      { name: 'counts', version: 3, state: 'building', position: '1:10', eventsApplied: 10, batchEvents: 10, caughtUp: false },
      { name: 'counts', version: 3, state: 'building', position: '1:25', eventsApplied: 25, batchEvents: 15, caughtUp: false },
      { name: 'counts', version: 3, state: 'building', position: '1:25', eventsApplied: 25, batchEvents: 0, caughtUp: true },
    ]);
  });

  it('counts what the watched runner applied, and counts on from it after taking over', () => {
    const { progress, told } = tracker();
    progress.seen({ events_applied: '100' });
    progress.countAppliedElsewhere({ events_applied: '150' });
    progress.watched('1:150', 'building', false);
    // Took over: the checkpoint read then still says 150, and this runner's batches add to it.
    progress.countAppliedElsewhere({ events_applied: '150' });
    progress.committed('1:160', 'building', 10);
    // Lost the lock, watched again: a stale count never lowers the figure.
    progress.countAppliedElsewhere({ events_applied: '155' });
    progress.watched('1:160', 'live', true);
    expect(told.map((progress) => progress.eventsApplied)).toEqual([50, 60, 60]);
    expect(told.at(-1)).toMatchObject({ state: 'live', caughtUp: true, batchEvents: 0 });
  });

  it('only the first checkpoint seen sets the starting count', () => {
    const { progress, told } = tracker();
    progress.seen({ events_applied: '7' });
    progress.seen({ events_applied: '40' });
    progress.countAppliedElsewhere({ events_applied: '40' });
    progress.caughtUp('1:40', 'live');
    expect(told[0].eventsApplied).toBe(33);
  });
});
