import type { FieldError } from '#platform';

/**
 * What no field of ours may hold, whatever its DTO says, checked on the parsed JSON before any
 * transformation: PostgreSQL's jsonb and text refuse NUL and unpaired surrogates (they would
 * fail the write as a 500), `__proto__`/`constructor`/`prototype` keys are dropped silently by
 * class-transformer rather than refused like other unknown fields, and deep nesting costs CPU
 * in every recursive step after parsing (hashing, transforming, validating).
 */
export const MAX_INPUT_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_ERRORS = 20;

function textProblem(text: string, what: string): string | undefined {
  if (text.includes('\u0000')) return `${what} must not contain NUL characters (\\u0000)`;
  if (!text.isWellFormed()) return `${what} must be well-formed Unicode (it holds an unpaired surrogate)`;
  return undefined;
}

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/** Every problem of the kinds above, by field path (`subject`, `items.0.name`); `root` names a non-object body. */
export function inspectInput(value: unknown, root: string): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const node = stack.pop();
    if (node === undefined) break;
    const field = node.path === '' ? root : node.path;
    if (typeof node.value === 'string') {
      const problem = textProblem(node.value, field);
      if (problem) errors.push({ field, messages: [problem] });
      continue;
    }
    if (node.value === null || typeof node.value !== 'object') continue;
    if (node.depth >= MAX_INPUT_DEPTH) {
      errors.push({ field, messages: [`${field} is nested deeper than ${MAX_INPUT_DEPTH} levels`] });
      continue;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(node.value)
      ? node.value.map((item, index) => [index, item])
      : Object.entries(node.value);
    for (const [key, child] of entries) {
      const path = join(node.path, key);
      if (typeof key === 'string') {
        const problem = textProblem(key, `the name of ${path}`);
        if (problem) {
          errors.push({ field: path, messages: [problem] });
          continue;
        }
        if (FORBIDDEN_KEYS.has(key)) {
          errors.push({ field: path, messages: [`property ${key} should not exist`] });
          continue;
        }
      }
      stack.push({ value: child, path, depth: node.depth + 1 });
    }
  }
  return errors;
}
