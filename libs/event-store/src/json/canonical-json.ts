import type { JsonValue } from '../port/event-store.js';

/**
 * One text per JSON value, whatever the order its object keys arrived in: keys sorted by UTF-16
 * code units, no whitespace, strings and numbers as JSON.stringify writes them. These are the
 * rules of RFC 8785 (JSON Canonicalization Scheme) for values that JSON can carry, so two stores
 * that keep a payload differently (PostgreSQL's jsonb reorders keys) give the same text.
 *
 * Refuses what JSON cannot carry (a non-finite number, undefined, a function) instead of writing
 * what JSON.stringify would (null, or nothing): a digest over such a text would match values
 * that differ.
 */
export function canonicalJson(value: JsonValue): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for the number ${value}`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      return `{${Object.keys(value)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
        .join(',')}}`;
    default:
      throw new TypeError(`canonical JSON has no form for a value of type ${typeof value}`);
  }
}
