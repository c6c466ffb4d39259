import { DomainError } from '../ticket/errors.js';
import type { ReferenceKind } from './definitions.js';

/**
 * Why a reference command is refused. `details.field` is the path in the command
 * (`definition.memberships[1].unit`), so an admin — or the import, which prefixes the entity —
 * sees exactly what to fix.
 */
export const ReferenceErrors = {
  invalid: (field: string, message: string) => new DomainError('REFERENCE_INVALID', `${field}: ${message}`, 'rule', { field }),
  invalidId: (field: string, id: unknown) =>
    new DomainError(
      'REFERENCE_INVALID_ID',
      `${field}: ${JSON.stringify(id)} is not an id: 1 to 128 letters, digits and . _ : - / (no spaces, no @), ` +
        'starting with a letter or digit.',
      'rule',
      { field },
    ),
  reservedId: (kind: ReferenceKind, id: string) =>
    new DomainError('REFERENCE_RESERVED_ID', `id: ${kind} "${id}" is built in and cannot be defined.`, 'rule', { field: 'id', kind, id }),
  unknownLink: (field: string, kind: ReferenceKind, id: string) =>
    new DomainError('REFERENCE_UNKNOWN_LINK', `${field}: there is no ${kind} "${id}"; define it first.`, 'rule', { field, kind, id }),
  cycle: (field: string, kind: ReferenceKind, path: readonly string[]) =>
    new DomainError('REFERENCE_CYCLE', `${field}: this would make a cycle (${path.join(' → ')}); a ${kind} tree has no cycles.`, 'rule', {
      field,
      path,
    }),
  orderTaken: (order: number, policy: string) =>
    new DomainError(
      'REFERENCE_ORDER_TAKEN',
      `definition.order: ${order} is already the order of the policy in force "${policy}"; the order breaks ties, so it is unique.`,
      'rule',
      { field: 'definition.order', order, policy },
    ),
  effectiveFromBackwards: (field: string, effectiveFrom: string, previous: string) =>
    new DomainError(
      'REFERENCE_EFFECTIVE_FROM_BACKWARDS',
      `${field}: ${effectiveFrom} is before the previous version's ${previous}; versions take effect in the order they are defined.`,
      'rule',
      { field, effectiveFrom, previous },
    ),
  notFound: (kind: ReferenceKind, id: string) =>
    new DomainError('REFERENCE_NOT_FOUND', `There is no ${kind} "${id}" in force.`, 'not_found', { kind, id }),
  inUse: (kind: ReferenceKind, id: string, usedBy: string) =>
    new DomainError('REFERENCE_IN_USE', `${kind} "${id}" is still used by ${usedBy}; change that first.`, 'conflict', { kind, id, usedBy }),
  notRetirable: (kind: ReferenceKind) =>
    new DomainError(
      'REFERENCE_NOT_RETIRABLE',
      `A ${kind} is never retired: tickets record its versions, which must keep resolving. Define a new version instead.`,
      'rule',
      { kind },
    ),
} as const;
