import { ApiError } from '#platform';

/** `If-Match: 5` or the ETag form `If-Match: "5"` → the revision the caller last saw. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) {
    throw new ApiError('INVALID_IF_MATCH', `If-Match must be a stream revision such as 5 or "5", not ${JSON.stringify(header)}.`, 'bad_request', { ifMatch: header });
  }
  return Number(match[1]);
}

/** A ticket being opened has no revision yet: an If-Match on it is a mistake worth saying. */
export function refuseIfMatch(header: string | undefined): void {
  if (header === undefined) return;
  throw new ApiError('IF_MATCH_NOT_ALLOWED', 'A new ticket has no revision to match: send the open without If-Match (an existing id answers 409 TICKET_ALREADY_EXISTS).', 'bad_request', {
    ifMatch: header,
  });
}
