import { DomainError } from '../ticket/errors.js';

/**
 * When a command happens (DESIGN.md §8). The server's clock decides, within limits a caller
 * may state: a few seconds ahead (two machines' clocks never agree exactly), a few minutes
 * back for any caller (a call that started earlier), and further back only for importers and
 * admins, never before the earliest instant the installation accepts.
 */
export interface TimePolicy {
  /** How far ahead of the server's clock an instant may be (clocks disagree by this much). */
  clockSkewMs: number;
  /** How far back any caller may state an instant; only importers and admins go further. */
  backdateWindowMs: number;
  /** No instant before this is accepted, from anyone (a typo'd year, a 1900 placeholder). */
  earliest: Date;
}

export const DEFAULT_TIME_POLICY: TimePolicy = {
  clockSkewMs: 5_000,
  backdateWindowMs: 5 * 60 * 1000,
  earliest: new Date('2000-01-01T00:00:00.000Z'),
};

// An instant names its offset: a date-time ending in Z or ±hh:mm (RFC 3339). Without it,
// "09:00" would silently be read as UTC, hours off the caller's meaning.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function isInstant(text: string): boolean {
  return INSTANT.test(text) && !Number.isNaN(Date.parse(text));
}

export function resolveOccurredAt(
  requested: string | undefined,
  now: Date,
  mayBackdate: boolean,
  policy: TimePolicy = DEFAULT_TIME_POLICY,
): string {
  if (requested === undefined) return now.toISOString();
  if (!isInstant(requested)) {
    throw new DomainError(
      'INVALID_OCCURRED_AT',
      `occurredAt "${requested}" is not an instant: an ISO-8601 date-time with Z or a UTC offset.`,
      'rule',
      {
        occurredAt: requested,
      },
    );
  }
  const at = Date.parse(requested);
  if (at > now.getTime() + policy.clockSkewMs) {
    throw new DomainError(
      'OCCURRED_AT_IN_FUTURE',
      `occurredAt ${requested} is ahead of the server's clock (${now.toISOString()}) ` +
        `by more than the allowed clock skew of ${policy.clockSkewMs / 1000} s.`,
      'rule',
      { occurredAt: requested, now: now.toISOString(), clockSkewSeconds: policy.clockSkewMs / 1000 },
    );
  }
  if (at < policy.earliest.getTime()) {
    throw new DomainError(
      'OCCURRED_AT_TOO_EARLY',
      `occurredAt ${requested} is before the earliest instant this installation accepts (${policy.earliest.toISOString()}).`,
      'rule',
      {
        occurredAt: requested,
        earliest: policy.earliest.toISOString(),
      },
    );
  }
  if (at < now.getTime() - policy.backdateWindowMs && !mayBackdate) {
    throw new DomainError(
      'BACKDATING_NOT_ALLOWED',
      `occurredAt ${requested} is more than ${policy.backdateWindowMs / 60000} minutes in the past; ` +
        `only importer and admin keys may backdate.`,
      'forbidden',
      { occurredAt: requested, now: now.toISOString() },
    );
  }
  return new Date(at).toISOString();
}

/**
 * The instant a command the server stamps happens: now, or the ticket's last event if that is
 * later (another process's clock a little ahead), so a ticket's time never runs backwards —
 * but never later than the server's clock plus the skew, so a ticket's time never runs ahead.
 */
export function stampOccurredAt(now: Date, lastOccurredAt: string | undefined, policy: TimePolicy = DEFAULT_TIME_POLICY): string {
  if (lastOccurredAt === undefined || Date.parse(lastOccurredAt) <= now.getTime()) return now.toISOString();
  const aheadMs = Date.parse(lastOccurredAt) - now.getTime();
  if (aheadMs > policy.clockSkewMs) {
    throw new DomainError(
      'TICKET_AHEAD_OF_CLOCK',
      `The ticket's last event happened at ${lastOccurredAt}, ${Math.ceil(aheadMs / 1000)} s ahead of the server's clock; ` +
        `retry once the clock has passed it.`,
      'unavailable',
      { lastOccurredAt, now: now.toISOString(), retryAfterSeconds: Math.ceil((aheadMs - policy.clockSkewMs) / 1000) },
    );
  }
  return lastOccurredAt;
}
