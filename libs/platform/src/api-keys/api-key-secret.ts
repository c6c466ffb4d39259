import { createHash, randomBytes } from 'node:crypto';

/**
 * Keys look like `bk_<keyId>_<secret>`: the id names the key in lists and logs, the 256-bit
 * secret makes it unguessable. A fast hash is enough for secrets of that entropy (nothing to
 * brute-force, unlike passwords), and lets a request's key be found by its hash alone.
 */
export interface NewApiKey {
  id: string;
  /** The whole key: shown once, never stored. */
  key: string;
  hash: string;
}

const PREFIX = 'bk';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): NewApiKey {
  const id = randomBytes(6).toString('hex');
  const key = `${PREFIX}_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

/**
 * The id of a key that did not come from `generateApiKey` (ADMIN_API_KEY may be any long
 * string): its own id if it has our shape, else one derived from its hash, so it is stable
 * across restarts without storing the key.
 */
export function idOfGivenKey(key: string): string {
  const match = /^bk_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$/.exec(key);
  return match ? match[1] : `env${hashApiKey(key).slice(0, 9)}`;
}

/** The key sent with a request: `Authorization: Bearer <key>`, else `X-API-Key`. */
export function keyFromHeaders(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  const key = bearer ?? apiKeyHeader?.trim();
  return key === undefined || key === '' ? undefined : key;
}
