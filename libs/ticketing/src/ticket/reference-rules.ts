import type { ReferenceCatalogue, ReferenceMode } from '../reference/catalogue.js';
import type { ReferenceKind } from '../reference/definitions.js';
import { DomainError } from './errors.js';

/**
 * The reference data a ticket command is checked against (issue 10). Open mode accepts any name
 * (the reference projection lists the names it saw); strict mode refuses a name the catalogue
 * does not hold, with the field, and checks that a claimer belongs to the unit and that an
 * assigning user is its supervisor.
 */
export interface ReferenceContext {
  catalogue: ReferenceCatalogue;
  mode: ReferenceMode;
}

type CheckedKind = Exclude<ReferenceKind, 'calendar' | 'slaPolicy' | 'escalationRule'>;

const MAPS: Record<CheckedKind, keyof ReferenceCatalogue> = {
  unit: 'units',
  user: 'users',
  category: 'categories',
  priority: 'priorities',
  channel: 'channels',
  customerTier: 'customerTiers',
};

export const ReferenceRuleErrors = {
  unknown: (field: string, kind: CheckedKind, name: string) =>
    new DomainError('REFERENCE_UNKNOWN', `${field}: no ${kind} named "${name}" is defined.`, 'rule', { field, kind, name }),
  notInUnit: (field: string, userId: string, unitId: string) =>
    new DomainError('USER_NOT_IN_UNIT', `${field}: user ${userId} is not a member of unit ${unitId}.`, 'rule', {
      field,
      userId,
      unitId,
    }),
  notSupervisor: (field: string, userId: string, unitId: string) =>
    new DomainError('USER_NOT_SUPERVISOR', `${field}: user ${userId} is not a supervisor of unit ${unitId}.`, 'rule', {
      field,
      userId,
      unitId,
    }),
};

/** The checks of one command; every method is a no-op in open mode or without reference data. */
export class ReferenceRules {
  constructor(private readonly context: ReferenceContext | undefined) {}

  private get strict(): ReferenceCatalogue | null {
    return this.context?.mode === 'strict' ? this.context.catalogue : null;
  }

  known(field: string, kind: CheckedKind, name: string | null | undefined): void {
    const catalogue = this.strict;
    if (catalogue === null || name === null || name === undefined) return;
    const map = catalogue[MAPS[kind]] as ReadonlyMap<string, unknown>;
    if (!map.has(name)) throw ReferenceRuleErrors.unknown(field, kind, name);
  }

  member(field: string, userId: string, unitId: string): void {
    const catalogue = this.strict;
    if (catalogue === null) return;
    this.known(field, 'user', userId);
    const memberships = catalogue.users.get(userId)?.memberships ?? [];
    if (!memberships.some((m) => m.unit === unitId)) throw ReferenceRuleErrors.notInUnit(field, userId, unitId);
  }

  supervisor(field: string, userId: string, unitId: string): void {
    const catalogue = this.strict;
    if (catalogue === null) return;
    this.known(field, 'user', userId);
    const memberships = catalogue.users.get(userId)?.memberships ?? [];
    if (!memberships.some((m) => m.unit === unitId && m.supervisor)) throw ReferenceRuleErrors.notSupervisor(field, userId, unitId);
  }
}
