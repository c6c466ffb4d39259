import { hash } from 'node:crypto';

const namespaces = new Map<string, Buffer>();

function namespaceBytes(namespace: string): Buffer {
  let bytes = namespaces.get(namespace);
  if (bytes === undefined) {
    bytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    if (bytes.length !== 16) throw new Error(`namespace ${namespace} is not a UUID`);
    namespaces.set(namespace, bytes);
  }
  return bytes;
}

/**
 * RFC 9562 UUID version 5 (SHA-1, name-based). Deterministic ids let a retried command produce
 * the very same event ids, which the store recognises as already appended.
 */
export function uuidV5(name: string, namespace: string): string {
  // One-shot hash of one buffer: an import derives two ids per event, and a Hash object per id cost ~10% of its CPU.
  const input = Buffer.concat([namespaceBytes(namespace), Buffer.from(name, 'utf8')]);
  const digest = hash('sha1', input, 'buffer');
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Namespaces of our derived ids (random constants, fixed forever). */
export const EVENT_ID_NAMESPACE = '5b0c3c1e-8f0b-4c39-9a52-2f6a1d0e7c41';
export const COMMAND_ID_NAMESPACE = 'c3d1f8a2-6e4b-4f0d-8b7a-91e2d4c5a6b3';

/** The id of the `index`-th event a command appends. */
export function eventIdFor(commandId: string, index: number): string {
  return uuidV5(`${commandId}/${index}`, EVENT_ID_NAMESPACE);
}
