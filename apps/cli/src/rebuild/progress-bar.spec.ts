import { describe, expect, it } from '@jest/globals';
import { formatDuration, formatProgress, ProgressBar } from './progress-bar.js';

describe('the rebuild progress bar', () => {
  it('shows a bar, percentage, counts, events/s and ETA', () => {
    expect(formatProgress({ label: 'tickets', applied: 250_000, total: 1_000_000, rate: 50_000, elapsedSeconds: 5 })).toBe(
      'tickets  [######..................]   25.0%  250,000/1,000,000 events  50,000 events/s  elapsed 00:05  ETA 00:15',
    );
  });

  it('does without a total, and keeps a full bar when new events push past it', () => {
    expect(formatProgress({ label: 'x', applied: 1200, total: undefined, rate: 0, elapsedSeconds: 0 })).toBe(
      'x  1,200 events  0 events/s  elapsed 00:00  ETA --:--',
    );
    expect(formatProgress({ label: 'x', applied: 1100, total: 1000, rate: 10, elapsedSeconds: 3725 }, false)).toBe(
      'x  100.0%  1,100/1,000 events  10 events/s  elapsed 1:02:05  ETA 00:00',
    );
  });

  it('formats durations as mm:ss or h:mm:ss', () => {
    expect([formatDuration(59.6), formatDuration(61), formatDuration(3600), formatDuration(Number.POSITIVE_INFINITY)]).toEqual([
      '01:00',
      '01:01',
      '1:00:00',
      '--:--',
    ]);
  });

  it('redraws in place on a terminal, at most 10 times a second', () => {
    let now = 0;
    const written: string[] = [];
    const bar = new ProgressBar({ isTTY: true, write: (text) => written.push(text) }, 'p', 100, { now: () => now });
    for (const applied of [10, 20, 30]) {
      now += 40;
      bar.update(applied);
    }
    bar.finish(100);
    expect(written.map((text) => text.slice(0, 1))).toEqual(['\r', '\r', '\n']);
    expect(written[1]).toContain('100.0%');
    expect(written[1].slice(-3)).toBe('\x1b[K');
  });

  it('writes plain lines every few seconds when the stream is not a terminal', () => {
    let now = 0;
    const written: string[] = [];
    const bar = new ProgressBar({ write: (text) => written.push(text) }, 'p', 1000, { now: () => now, plainLineSeconds: 5 });
    for (let second = 1; second <= 12; second++) {
      now = second * 1000;
      bar.update(second * 50);
    }
    bar.finish(1000);
    expect(written).toHaveLength(4);
    expect(written.every((line) => line.endsWith('\n') && !line.includes('\r') && !line.includes('['))).toBe(true);
    expect(written[1]).toContain('50 events/s');
  });
});
