import { describe, expect, it } from '@jest/globals';
import { cpuPerCommand, formatTimeline, timelineRows, type SecondSample } from './lag-timeline.js';

const second = (overrides: Partial<SecondSample> = {}): SecondSample => ({
  loopDelayMaxMs: 12,
  machineBusy: 0.5,
  runnable: 2,
  benchCpuMs: 40,
  apiCpuMs: 300,
  postgresCpuMs: 200,
  waits: new Map(),
  newConnections: new Map(),
  samples: 10,
  checkpoints: 0,
  checkpointMs: 0,
  ...overrides,
});

describe('the lag bench’s timeline', () => {
  it('puts each command in the second it was answered in, and its lag beside that second’s samples', () => {
    const rows = timelineRows(
      [
        { sentAt: 100, answeredAt: 150, visibleAt: 170 },
        { sentAt: 900, answeredAt: 1_400, visibleAt: 2_300 },
        { sentAt: 950, answeredAt: 1_100, visibleAt: undefined },
      ],
      [second(), second({ runnable: 9, waits: new Map([['bildirim-api:event-store active: IO/WalSync', 4]]) })],
    );
    expect(rows.map((row) => [row.second, row.sent, row.answered, row.roundTripMax, row.lagMax, row.runnable])).toEqual([
      [0, 3, 1, 50, 20, 2],
      [1, 0, 2, 500, 900, 9],
    ]);
    // A command never seen in every projection has a round trip but no lag.
    expect(rows[1].roundTripP50).toBe(325);
    expect(rows[1].lagP50).toBe(900);
  });

  it('keeps seconds with answers but no samples (the load’s last answers), and the reverse', () => {
    const rows = timelineRows([{ sentAt: 2_950, answeredAt: 3_020, visibleAt: 3_030 }], [second(), second()]);
    expect(rows.map((row) => [row.second, row.answered])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 1],
    ]);
    expect(rows[2].apiCpuMs).toBeNull();
    expect(Number.isNaN(rows[0].lagP50)).toBe(true);
  });

  it('prints one line per second with the largest waits first, as processes per sample', () => {
    const waits = new Map([
      ['a: IO/WalSync', 5],
      ['b: on CPU', 20],
      ['c: Lock/advisory', 10],
      ['d: LWLock/WALWrite', 1],
    ]);
    const newConnections = new Map([['bildirim-api:read-model', 3]]);
    const lines = formatTimeline(timelineRows([], [second({ waits, newConnections })]));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('+3 bildirim-api:read-model; b: on CPU 2.0, c: Lock/advisory 1.0, a: IO/WalSync 0.5');
    expect(lines[1]).not.toContain('WALWrite');
  });

  it('gives CPU per answered command and the rate the cores allow the API and PostgreSQL', () => {
    const commands = Array.from({ length: 200 }, (_, index) => ({ sentAt: index * 10, answeredAt: index * 10 + 5, visibleAt: undefined }));
    const rows = timelineRows(commands, [second(), second({ apiCpuMs: 500, postgresCpuMs: 300, benchCpuMs: 60 })]);
    // 200 answers over two sampled seconds: (300 + 500) / 200 API, (200 + 300) / 200 PostgreSQL.
    expect(cpuPerCommand(rows, 2)).toEqual({ benchMs: 0.5, apiMs: 4, postgresMs: 2.5, ceiling: 2000 / 6.5 });
    expect(cpuPerCommand(timelineRows(commands, [second({ postgresCpuMs: null })]), 2).ceiling).toBeNull();
  });
});
