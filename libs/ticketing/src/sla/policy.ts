import { ALWAYS_OPEN, defineCalendar, type BusinessCalendar } from '../business-time/calendar.js';
import { addBusinessSeconds } from '../business-time/business-time.js';
import type { ReferenceCatalogue, Versioned } from '../reference/catalogue.js';
import {
  ALWAYS_OPEN_CALENDAR_ID,
  versionId,
  type EscalationRuleVersionDefinition,
  type PolicyMatch,
  type SlaPolicyVersionDefinition,
  type SlaTarget,
} from '../reference/definitions.js';
import type { Phase } from '../ticket/events.js';
import { SlaErrors } from './errors.js';
import {
  CALENDAR_TIME_ID,
  DEFAULT_TERMS,
  type ClockTerms,
  type EscalationRuleTerms,
  type SlaCatalogue,
  type SlaKey,
  type SlaTerms,
} from './terms.js';

/**
 * Policy matching and versions (issue 10). At an instant, each policy's version in force is the
 * latest whose `effectiveFrom` ≤ the instant (a retirement is a version that matches nothing). Of
 * the versions in force that match a ticket — category covering its node's subtree, priority,
 * channel and customer tier equal where set — the most specific wins: the most criteria set, then
 * the deepest category node, then the lowest `order`, then the id. No match: the built-in default.
 */

/** A clock's due: `add(start, target)` in its calendar; null for no target. */
export function dueOf(sla: SlaCatalogue, clock: ClockTerms | null, start: string): string | null {
  return clock === null ? null : addBusinessSeconds(sla.calendar(clock.calendarId), start, clock.targetSeconds);
}

/** The version in force at `at`: the latest effective by then, else (before the first) the first. */
export function versionAt<Definition extends { effectiveFrom: string }>(
  versions: readonly Versioned<Definition>[],
  at: number,
): Versioned<Definition> | undefined {
  let found: Versioned<Definition> | undefined;
  for (const version of versions) {
    const from = Date.parse(version.definition.effectiveFrom);
    if (from <= at && (found === undefined || from >= Date.parse(found.definition.effectiveFrom))) found = version;
  }
  return found;
}

/** The category's ancestors, itself first (a cycle or an unknown parent ends the walk). */
export function categoryLine(catalogue: ReferenceCatalogue, category: string): string[] {
  const line: string[] = [];
  let current: string | null = category;
  while (current !== null && !line.includes(current)) {
    line.push(current);
    current = catalogue.categories.get(current)?.parent ?? null;
  }
  return line;
}

interface Candidate<Definition> {
  id: string;
  version: Versioned<Definition>;
  criteria: number;
  depth: number;
}

interface Matchable {
  effectiveFrom: string;
  order: number;
  match: PolicyMatch;
}

/**
 * The most specific version in force at `at` that matches `key`: the most criteria set, then the
 * deepest category node, then the lowest order, then the id. Policies and escalation rules alike.
 */
export function matchVersioned<Definition extends Matchable>(
  catalogue: ReferenceCatalogue,
  all: ReadonlyMap<string, readonly Versioned<Definition>[]>,
  key: SlaKey,
  at: string,
  accept: (definition: Definition) => boolean = () => true,
): Versioned<Definition> | undefined {
  const instant = Date.parse(at);
  const line = categoryLine(catalogue, key.category);
  const candidates: Candidate<Definition>[] = [];
  for (const [id, versions] of all) {
    const version = versionAt(versions, instant);
    if (version === undefined || version.retired || !accept(version.definition)) continue;
    const match = version.definition.match;
    if (match.priority !== undefined && match.priority !== key.priority) continue;
    if (match.channel !== undefined && match.channel !== key.channel) continue;
    if (match.customerTier !== undefined && match.customerTier !== key.customerTier) continue;
    let depth = 0;
    if (match.category !== undefined) {
      const index = line.indexOf(match.category);
      if (index < 0) continue;
      depth = line.length - index;
    }
    const criteria = [match.category, match.priority, match.channel, match.customerTier].filter((c) => c !== undefined).length;
    candidates.push({ id, version, criteria, depth });
  }
  candidates.sort(
    (a, b) =>
      b.criteria - a.criteria ||
      b.depth - a.depth ||
      a.version.definition.order - b.version.definition.order ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return candidates[0]?.version;
}

/** The matching policy version, or undefined for the default. Exported for the matching specs. */
export function matchPolicy(catalogue: ReferenceCatalogue, key: SlaKey, at: string): Versioned<SlaPolicyVersionDefinition> | undefined {
  return matchVersioned(catalogue, catalogue.slaPolicies, key, at);
}

/** The escalation rule version for a delay of `phase` whose due was `at`, or undefined (no escalation). */
export function matchEscalationRule(
  catalogue: ReferenceCatalogue,
  key: SlaKey,
  phase: Phase,
  at: string,
): Versioned<EscalationRuleVersionDefinition> | undefined {
  return matchVersioned(catalogue, catalogue.escalationRules, key, at, (rule) => rule.phase === phase);
}

/** The calendar version id in force at `at` for a calendar id (`24x7` is always `24x7@1`). */
export function calendarVersionAt(catalogue: ReferenceCatalogue, calendar: string, at: string): string {
  if (calendar === ALWAYS_OPEN_CALENDAR_ID) return CALENDAR_TIME_ID;
  const versions = catalogue.calendars.get(calendar);
  if (!versions || versions.length === 0) throw SlaErrors.unknownCalendar(calendar);
  const version = versionAt(versions, Date.parse(at)) ?? versions[0];
  return versionId(calendar, version.version);
}

function clockOf(target: SlaTarget | null, calendarId: string, warnings: readonly number[] | undefined): ClockTerms | null {
  if (target === null) return null;
  const clock: ClockTerms = { targetSeconds: target.seconds, calendarId: target.time === 'business' ? calendarId : CALENDAR_TIME_ID };
  return warnings === undefined || warnings.length === 0 ? clock : { ...clock, warnings: [...warnings] };
}

const prepared = new WeakMap<object, BusinessCalendar>();

/** The SLA lookups over a reference catalogue; with the empty catalogue, the built-in default. */
export function slaCatalogueOf(catalogue: ReferenceCatalogue): SlaCatalogue {
  return {
    termsAt(key: SlaKey, at: string): SlaTerms {
      const policy = matchPolicy(catalogue, key, at);
      if (policy === undefined) return DEFAULT_TERMS;
      const d = policy.definition;
      const calendar = d.calendar ?? catalogue.units.get(key.unitId)?.calendar ?? ALWAYS_OPEN_CALENDAR_ID;
      const calendarId = calendarVersionAt(catalogue, calendar, at);
      return {
        policyId: versionId(policy.id, policy.version),
        calendarId,
        claimClock: clockOf(d.targets.claim, calendarId, d.warnings),
        responseClock: clockOf(d.targets.response, calendarId, d.warnings),
        resolutionClock: clockOf(d.targets.resolution, calendarId, d.warnings),
      };
    },
    escalationRuleAt(key: SlaKey, phase: Phase, at: string): EscalationRuleTerms | undefined {
      const rule = matchEscalationRule(catalogue, key, phase, at);
      return rule === undefined ? undefined : { ruleId: versionId(rule.id, rule.version), levels: rule.definition.levels };
    },
    escalationRule(ruleVersionId: string): EscalationRuleTerms | undefined {
      const at = ruleVersionId.lastIndexOf('@');
      const versions = at > 0 ? catalogue.escalationRules.get(ruleVersionId.slice(0, at)) : undefined;
      const rule = versions?.find((v) => versionId(v.id, v.version) === ruleVersionId);
      return rule === undefined ? undefined : { ruleId: ruleVersionId, levels: rule.definition.levels };
    },
    supervisorOf(unitId: string): string | null {
      // The first by id of the unit's supervisors: one name to address; the notification goes to the unit's contacts anyway.
      const supervisors = [...catalogue.users]
        .filter(([, user]) => user.memberships.some((membership) => membership.unit === unitId && membership.supervisor))
        .map(([id]) => id)
        .sort();
      return supervisors[0] ?? null;
    },
    calendar(calendarVersionId: string): BusinessCalendar {
      if (calendarVersionId === CALENDAR_TIME_ID) return ALWAYS_OPEN;
      const at = calendarVersionId.lastIndexOf('@');
      const versions = at > 0 ? catalogue.calendars.get(calendarVersionId.slice(0, at)) : undefined;
      const version = versions?.find((v) => versionId(v.id, v.version) === calendarVersionId);
      if (version === undefined) throw SlaErrors.unknownCalendar(calendarVersionId);
      const definition = version.definition.definition;
      let calendar = prepared.get(definition);
      if (calendar === undefined) {
        calendar = defineCalendar(definition);
        prepared.set(definition, calendar);
      }
      return calendar;
    },
  };
}
