import { describe, expect, it } from '@jest/globals';
import { AgentShifts } from './agent-shifts.js';
import { CentreClock } from './centre-arrivals.js';
import { centreUnits, ROUND_THE_CLOCK_UNITS } from './contact-centre.js';

const units = centreUnits();
const shifts = new AgentShifts(units);
const at = (iso: string) => Date.parse(iso);
const office = units[ROUND_THE_CLOCK_UNITS];
const roundTheClock = units[0];

describe('the centre agents’ shifts', () => {
  it('given an office agent of the early shift, then on from 08:00 to 16:00 Istanbul time (05:00–13:00Z), Monday to Friday', () => {
    const early = office.agents[0];
    expect(early.shift).toBe('early');
    expect(shifts.onShift(early.id, at('2026-01-05T05:00:00Z'))).toBe(true);
    expect(shifts.onShift(early.id, at('2026-01-05T04:59:59.999Z'))).toBe(false);
    expect(shifts.onShift(early.id, at('2026-01-05T13:00:00Z'))).toBe(false);
    // Friday evening: next on Monday at 08:00.
    expect(new Date(shifts.nextShift(early.id, at('2026-01-09T14:00:00Z'))).toISOString()).toBe('2026-01-12T05:00:00.000Z');
  });

  it('given a holiday, then the office agents are off: New Year’s Day 2026 (a Thursday) waits for Friday', () => {
    for (const agent of office.agents)
      expect(new Date(shifts.nextShift(agent.id, at('2026-01-01T06:00:00Z'))).toISOString().slice(0, 10)).toBe('2026-01-02');
  });

  it('given a night agent of a 24/7 unit, then on from 22:00 to 06:00 across midnight', () => {
    const night = roundTheClock.agents.filter((agent) => agent.shift === 'night')[0];
    expect(night).toBeDefined();
    const day = night.days[0];
    // 2026-01-05 is a Monday; the agent's first working weekday of that week.
    const dayIndex = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(day);
    const evening = at('2026-01-05T19:00:00Z') + dayIndex * 86_400_000; // 22:00 local
    expect(shifts.onShift(night.id, evening)).toBe(true);
    expect(shifts.onShift(night.id, evening + 7 * 3_600_000)).toBe(true); // 05:00 local, the next day
    expect(shifts.onShift(night.id, evening + 8 * 3_600_000)).toBe(false); // 06:00
    expect(shifts.onShift(night.id, evening - 1)).toBe(false);
  });

  it('keeps two agents or more on duty in a 24/7 unit at every hour of a week', () => {
    for (const unit of units.slice(0, ROUND_THE_CLOCK_UNITS))
      for (let hour = 0; hour < 7 * 24; hour++) {
        const instant = at('2026-01-05T00:30:00Z') + hour * 3_600_000;
        const { at: from, agents } = shifts.onDuty(unit.id, instant);
        expect({ unit: unit.id, hour, from, enough: agents.length >= 2 }).toEqual({ unit: unit.id, hour, from: instant, enough: true });
      }
  });

  it('has an office unit’s agents on duty exactly while the office is open', () => {
    const clock = new CentreClock();
    for (let quarter = 0; quarter < 14 * 24 * 4; quarter++) {
      const instant = at('2025-12-29T00:00:00Z') + quarter * 900_000;
      const onDuty = shifts.onDuty(office.id, instant).at === instant;
      expect({ at: new Date(instant).toISOString(), onDuty }).toEqual({
        at: new Date(instant).toISOString(),
        onDuty: clock.officeOpen(instant),
      });
    }
  });
});
