import { addBusinessMs, defineCalendar, type WorkingHoursCalendar } from '#ticketing';
import { shiftCalendar, type CentreUnit } from './contact-centre.js';
import { pick } from './seeded-random.js';

/**
 * When the centre's agents work. Each agent's shift is a business calendar (contact-centre.ts),
 * so "on shift at t" and "the next shift from t" are the domain's own arithmetic: add(t, 0) is t
 * itself inside working time and the next opening outside it.
 */
export class AgentShifts {
  private readonly calendars = new Map<string, WorkingHoursCalendar>();
  private readonly units = new Map<string, CentreUnit>();

  constructor(units: readonly CentreUnit[]) {
    // Agents with the same hours share one calendar (and its memo of converted days).
    const shared = new Map<string, WorkingHoursCalendar>();
    for (const unit of units) {
      this.units.set(unit.id, unit);
      for (const agent of unit.agents) {
        const definition = shiftCalendar(unit, agent);
        const key = JSON.stringify(definition);
        const calendar = shared.get(key) ?? defineCalendar(definition);
        shared.set(key, calendar);
        this.calendars.set(agent.id, calendar);
      }
    }
  }

  /** The first instant ≥ t the agent is on shift (t itself when on shift). */
  nextShift(agentId: string, t: number): number {
    const calendar = this.calendars.get(agentId);
    if (calendar === undefined) throw new RangeError(`no shifts for agent ${agentId}`);
    return addBusinessMs(calendar, t, 0);
  }

  onShift(agentId: string, t: number): boolean {
    return this.nextShift(agentId, t) === t;
  }

  /**
   * The unit's agents on shift at the first instant ≥ t that any of them is, and that instant:
   * who can take a ticket from the unit's pool, and when.
   */
  onDuty(unitId: string, t: number): { at: number; agents: string[] } {
    const unit = this.units.get(unitId);
    if (unit === undefined) throw new RangeError(`no unit ${unitId} in the centre`);
    const next = unit.agents.map((agent) => ({ id: agent.id, at: this.nextShift(agent.id, t) }));
    const at = Math.min(...next.map((n) => n.at));
    return { at, agents: next.filter((n) => n.at === at).map((n) => n.id) };
  }

  /** One of the unit's agents on duty from t, picked at random, and the instant. */
  pickOnDuty(unitId: string, t: number, random: () => number): { at: number; agent: string } {
    const { at, agents } = this.onDuty(unitId, t);
    return { at, agent: pick(random, agents) };
  }
}
