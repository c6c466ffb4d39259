/**
 * The dashboard's session cookie (docs/decisions.md "Dashboard sessions"): HttpOnly so no
 * script reads it, SameSite=Strict so no other site's page sends it, Secure when the request
 * came over TLS (or through a trusted proxy that says so), Path=/ because it opens /reports and
 * /tickets, Max-Age the session's remaining life.
 */
export const SESSION_COOKIE = 'bildirim_session';

/** 32 random bytes in base64url: what a token looks like; anything else is not one of ours. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The session token of a Cookie header, or undefined (no cookie, or a value that cannot be a token). */
export function sessionTokenFrom(cookieHeader: string | undefined): string | undefined {
  if (cookieHeader === undefined) return undefined;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(separator + 1).trim();
    return TOKEN.test(value) ? value : undefined;
  }
  return undefined;
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** What sign-out answers: the same cookie, empty and already expired. */
export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}
