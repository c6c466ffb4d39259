import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signWebhook, verifyWebhookSignature } from './signature.js';

const SECRET = 'whsec_test_0123456789';
const BODY = '{"id":"6f1c2a4e-0000-4000-8000-000000000001","kind":"ticket.delayed"}';
const T = 1_796_000_000;

describe('webhook signatures', () => {
  it('signs t.body with HMAC-SHA256 of the secret, as a receiver recomputes it with any HMAC library', () => {
    const mac = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(signWebhook(SECRET, BODY, T)).toBe(`t=${T},v1=${mac}`);
  });

  it('accepts its own signature within the tolerance, on either side of the receiver’s clock', () => {
    const header = signWebhook(SECRET, BODY, T);
    expect(verifyWebhookSignature(SECRET, header, BODY, T, 300)).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, BODY, T + 300, 300)).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, BODY, T - 300, 300)).toBe(true);
  });

  it('refuses a replay older than the tolerance, and a timestamp from the future beyond it', () => {
    const header = signWebhook(SECRET, BODY, T);
    expect(verifyWebhookSignature(SECRET, header, BODY, T + 301, 300)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY, T - 301, 300)).toBe(false);
  });

  it('refuses another secret, a changed body, and a timestamp moved without re-signing', () => {
    const header = signWebhook(SECRET, BODY, T);
    expect(verifyWebhookSignature('whsec_other', header, BODY, T, 300)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY.replace('delayed', 'closed'), T, 300)).toBe(false);
    const moved = header.replace(`t=${T}`, `t=${T + 1}`);
    expect(verifyWebhookSignature(SECRET, moved, BODY, T + 1, 300)).toBe(false);
  });

  it('refuses malformed or missing headers', () => {
    const mac = signWebhook(SECRET, BODY, T).split('v1=')[1];
    for (const header of [undefined, '', `v1=${mac}`, `t=${T}`, `t=abc,v1=${mac}`, `t=${T},v1=${mac.slice(2)}`, `t=${T},v0=${mac}`]) {
      expect(verifyWebhookSignature(SECRET, header, BODY, T, 300)).toBe(false);
    }
  });

  it('accepts a header with several v1 entries when one matches (secret rotation)', () => {
    const old = signWebhook('whsec_old', BODY, T).split('v1=')[1];
    const current = signWebhook(SECRET, BODY, T).split('v1=')[1];
    expect(verifyWebhookSignature(SECRET, `t=${T},v1=${old},v1=${current}`, BODY, T, 300)).toBe(true);
  });
});
