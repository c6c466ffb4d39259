import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature (Stripe's scheme): `Bildirim-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`
 * over `<t>.<body>`. The timestamp is inside the MAC, so a receiver that refuses old timestamps
 * refuses a replayed request too, and nobody can move the timestamp without the secret.
 */
export const SIGNATURE_HEADER = 'Bildirim-Signature';

/** The header's value for `body` sent at `t` (unix seconds). */
export function signWebhook(secret: string, body: string, t: number): string {
  return `t=${t},v1=${macOf(secret, body, t)}`;
}

/**
 * True when `header` carries a v1 MAC of `body` under `secret` and its timestamp lies within
 * `toleranceSeconds` of `nowSeconds` (either side: clocks drift). Several v1 entries are
 * accepted, as when a sender signs with an old and a new secret while rotating.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds: number,
): boolean {
  if (header === undefined) return false;
  let t: number | undefined;
  const macs: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value ?? '')) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '')) macs.push(value);
  }
  if (t === undefined || macs.length === 0 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(macOf(secret, body, t), 'hex');
  // Constant time: a comparison that stops at the first wrong byte tells an attacker how much was right.
  return macs.some((mac) => timingSafeEqual(Buffer.from(mac, 'hex'), expected));
}

function macOf(secret: string, body: string, t: number): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}
