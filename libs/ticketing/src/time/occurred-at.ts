import { DomainError } from '../ticket/errors.js';

/**
 * When a command happened (DESIGN.md §8). Callers may state `occurredAt` (a call that started
 * earlier, an import), but only importers and admins may put it further back than the skew,
 * so no service can backdate an answer into its SLA; nobody may put it in the future.
 */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export function resolveOccurredAt(requested: string | undefined, now: Date, mayBackdate: boolean): string {
  if (requested === undefined) return now.toISOString();
  const at = Date.parse(requested);
  if (Number.isNaN(at)) throw new DomainError('INVALID_OCCURRED_AT', `occurredAt "${requested}" is not an ISO-8601 instant.`);
  if (at > now.getTime() + CLOCK_SKEW_MS) {
    throw new DomainError('OCCURRED_AT_IN_FUTURE', `occurredAt ${requested} is in the future (server time ${now.toISOString()}).`, 'rule', {
      occurredAt: requested,
      now: now.toISOString(),
    });
  }
  if (at < now.getTime() - CLOCK_SKEW_MS && !mayBackdate) {
    throw new DomainError(
      'BACKDATING_NOT_ALLOWED',
      `occurredAt ${requested} is more than ${CLOCK_SKEW_MS / 60000} minutes in the past; only importer and admin keys may backdate.`,
      'forbidden',
      { occurredAt: requested, now: now.toISOString() },
    );
  }
  return new Date(at).toISOString();
}
