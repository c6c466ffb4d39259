/** How far a copy onto one target has come: the source position after which the next run reads. */
export interface CopyCheckpoint {
  /** a position of the source store; every copied event up to it is in the target */
  position: string;
  /** events up to `position` that the target holds (appended by a copy or found already there) */
  eventsCopied: number;
  startedAt: Date;
  updatedAt: Date;
}

/** The checkpoint of one copy (one source, one target), kept wherever the source keeps it. */
export interface CopyCheckpoints {
  load(): Promise<CopyCheckpoint | undefined>;
  /** Called after the target has taken every event up to `position`. */
  save(position: string, eventsCopied: number): Promise<void>;
}

/**
 * A connection string without what must not be stored or printed: the user name and password
 * of `scheme://user:password@host…`, and password-like query parameters. What is left names the
 * target store, so it keys the target's checkpoint and appears in messages.
 */
export function targetIdentity(connectionString: string): string {
  const withoutUser = connectionString.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1');
  const query = withoutUser.indexOf('?');
  if (query === -1) return withoutUser;
  const kept = withoutUser
    .slice(query + 1)
    .split('&')
    .filter((pair) => pair !== '' && !SECRET_PARAMETERS.test(pair.split('=')[0]));
  return kept.length === 0 ? withoutUser.slice(0, query) : `${withoutUser.slice(0, query)}?${kept.join('&')}`;
}

// Who connects and the secrets libpq and the EventStoreDB client accept in the query string.
const SECRET_PARAMETERS = /^(password|passfile|sslpassword|user|username)$/i;
