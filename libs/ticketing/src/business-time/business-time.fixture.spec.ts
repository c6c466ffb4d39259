import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addBusinessSeconds, businessSecondsBetween } from './business-time.js';
import { defineCalendar, type CalendarDefinition, type WorkingHoursCalendar } from './calendar.js';
import { holdPhaseClock, resumePhaseClock, startPhaseClock } from './clock.js';

/**
 * ../shared/fixtures/business-time/cases.json, computed from KPIS.md by an implementation
 * independent of ours: where our reading and the fixture differ, the fixture settles it.
 */
interface Cases {
  calendars: Record<string, CalendarDefinition>;
  add: Array<{ id: string; calendar: string; start: string; targetSeconds: number; due: string }>;
  between: Array<{ id: string; calendar: string; from: string; to: string; businessSeconds: number }>;
  clocks: Array<{
    id: string;
    calendar: string;
    start: string;
    targetSeconds: number;
    holds: Array<[string, string | null]>;
    due: string | null;
  }>;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const file = path.resolve(repoRoot, '../shared/fixtures/business-time/cases.json');
if (!existsSync(file)) throw new Error(`business-time fixture not found at ${file}: the repository expects ../shared beside it`);
const cases = JSON.parse(readFileSync(file, 'utf8')) as Cases;
const calendars = new Map<string, WorkingHoursCalendar>(Object.entries(cases.calendars).map(([name, def]) => [name, defineCalendar(def)]));
const calendar = (name: string): WorkingHoursCalendar => {
  const found = calendars.get(name);
  if (!found) throw new Error(`the fixture names an unknown calendar ${name}`);
  return found;
};

describe('business-time fixture (../shared/fixtures/business-time/cases.json)', () => {
  it('holds the 94 cases it announces', () => {
    expect([cases.add.length, cases.between.length, cases.clocks.length]).toEqual([48, 30, 16]);
  });

  it.each(cases.add)('$id: given $calendar, when a $targetSeconds s target starts at $start, then it is due at $due', (c) => {
    expect(addBusinessSeconds(calendar(c.calendar), c.start, c.targetSeconds)).toBe(c.due);
  });

  it.each(cases.between)('$id: given $calendar, when measuring $from → $to, then it is $businessSeconds business seconds', (c) => {
    expect(businessSecondsBetween(calendar(c.calendar), c.from, c.to)).toBe(c.businessSeconds);
  });

  it.each(cases.clocks)(
    '$id: given $calendar and a $targetSeconds s clock from $start, when held and resumed, then it is due at $due',
    (c) => {
      const cal = calendar(c.calendar);
      let clock = startPhaseClock(cal, c.start, c.targetSeconds);
      for (const [holdAt, resumeAt] of c.holds) {
        clock = holdPhaseClock(cal, clock, holdAt);
        if (resumeAt !== null) clock = resumePhaseClock(cal, clock, resumeAt);
      }
      expect(clock.state === 'running' ? clock.due : null).toBe(c.due);
    },
  );
});
