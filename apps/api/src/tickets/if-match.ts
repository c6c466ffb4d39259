import { DomainError } from '../../../../libs/ticketing/src/index.js';

/** `If-Match: 5` or the ETag form `If-Match: "5"` → the revision the caller last saw. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new DomainError('INVALID_IF_MATCH', `If-Match must be a stream revision such as 5 or "5", not ${header}.`, 'rule', { ifMatch: header });
  return Number(match[1]);
}
