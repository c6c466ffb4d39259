import { describe, expect, it } from '@jest/globals';
import { clearedSessionCookie, sessionCookie, sessionTokenFrom } from './session-cookie.js';

const TOKEN = 'A'.repeat(40) + '_-9';

describe('the dashboard session cookie', () => {
  it('is HttpOnly, SameSite=Strict, on every path, expiring; Secure only when asked', () => {
    expect(sessionCookie(TOKEN, 600, false)).toBe(`bildirim_session=${TOKEN}; Path=/; Max-Age=600; HttpOnly; SameSite=Strict`);
    expect(sessionCookie(TOKEN, 600, true)).toBe(`bildirim_session=${TOKEN}; Path=/; Max-Age=600; HttpOnly; SameSite=Strict; Secure`);
    expect(clearedSessionCookie(true)).toBe('bildirim_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
  });

  it('is found among other cookies, and nothing that cannot be a token is taken for one', () => {
    expect(sessionTokenFrom(`theme=dark; bildirim_session=${TOKEN}; x=1`)).toBe(TOKEN);
    expect(sessionTokenFrom(`bildirim_session=${TOKEN}`)).toBe(TOKEN);
    expect(sessionTokenFrom(undefined)).toBeUndefined();
    expect(sessionTokenFrom('theme=dark')).toBeUndefined();
    expect(sessionTokenFrom('bildirim_session=')).toBeUndefined();
    expect(sessionTokenFrom(`bildirim_session=${TOKEN}x`)).toBeUndefined();
    expect(sessionTokenFrom(`xbildirim_session=${TOKEN}`)).toBeUndefined();
    expect(sessionTokenFrom("bildirim_session=' OR 1=1 --")).toBeUndefined();
  });
});
