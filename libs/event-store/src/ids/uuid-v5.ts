import { createHash } from 'node:crypto';

/**
 * RFC 9562 UUID version 5 (SHA-1, name-based). Deterministic ids let a retried command produce
 * the very same event ids, which the store recognises as already appended.
 */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`namespace ${namespace} is not a UUID`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Namespaces of our derived ids (random constants, fixed forever). */
export const EVENT_ID_NAMESPACE = '5b0c3c1e-8f0b-4c39-9a52-2f6a1d0e7c41';
export const COMMAND_ID_NAMESPACE = 'c3d1f8a2-6e4b-4f0d-8b7a-91e2d4c5a6b3';

/** The id of the `index`-th event a command appends. */
export function eventIdFor(commandId: string, index: number): string {
  return uuidV5(`${commandId}/${index}`, EVENT_ID_NAMESPACE);
}
