import { describe, expect, it } from '@jest/globals';
import { figuresVsGoals, verdict } from './goals.js';

describe('figures vs goals', () => {
  it('prints each figure beside its goal with its verdict, under the machine and both load averages', () => {
    const lines = figuresVsGoals(
      'figures vs goals (issue 12)',
      [
        { name: 'readAll, page 1,000', measured: '151,000 events/s', goal: '≥ 150,000 events/s', met: true },
        { name: 'port append, 8 writers', measured: '64.0%', goal: '≥ 70%', met: false },
        { name: 'lag p99 at 300/s', measured: '–', goal: '< 250 ms', met: undefined },
      ],
      '0.50 / 0.40 / 0.30',
    );
    const text = lines.join('\n');
    expect(text).toMatch(/^machine: .* cores/m);
    expect(text).toMatch(/^load: +0\.50 \/ 0\.40 \/ 0\.30 at the start, [\d.]+ \/ [\d.]+ \/ [\d.]+ at the end/m);
    const rows = lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.startsWith('| '))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(rows).toEqual([
      ['figure', 'measured', 'goal', 'verdict'],
      ['readAll, page 1,000', '151,000 events/s', '≥ 150,000 events/s', 'met'],
      ['port append, 8 writers', '64.0%', '≥ 70%', 'MISSED'],
      ['lag p99 at 300/s', '–', '< 250 ms', '–'],
    ]);
  });

  it('says met, MISSED, or – when the run cannot tell', () => {
    expect([verdict(true), verdict(false), verdict(undefined)]).toEqual(['met', 'MISSED', '–']);
  });
});
