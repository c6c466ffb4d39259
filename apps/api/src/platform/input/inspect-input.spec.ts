import { describe, expect, it } from '@jest/globals';
import { inspectInput, MAX_INPUT_DEPTH } from './inspect-input.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

describe('inspectInput', () => {
  it('passes ordinary JSON, Turkish text and emoji included', () => {
    expect(inspectInput({ subject: 'Fatura iki kez kesildi 🙁', items: [{ n: 1 }, null, true] }, '(body)')).toEqual([]);
  });

  it('names a field holding NUL, at any depth', () => {
    expect(inspectInput({ subject: 'a\u0000b', items: [{ name: '\u0000' }] }, '(body)')).toEqual(
      expect.arrayContaining([
        { field: 'subject', messages: ['subject must not contain NUL characters (\\u0000)'] },
        { field: 'items.0.name', messages: ['items.0.name must not contain NUL characters (\\u0000)'] },
      ]),
    );
  });

  it('names a field holding an unpaired surrogate, and a key that does', () => {
    expect(inspectInput({ reason: 'x\ud800y' }, '(body)')).toEqual([
      { field: 'reason', messages: ['reason must be well-formed Unicode (it holds an unpaired surrogate)'] },
    ]);
    expect(inspectInput({ ['k\udc00']: 1 }, '(body)')).toHaveLength(1);
  });

  it('refuses __proto__, constructor and prototype keys as fields that should not exist', () => {
    const body = JSON.parse('{"subject":"s","__proto__":{"admin":true},"nested":{"constructor":1}}') as unknown;
    expect(inspectInput(body, '(body)')).toEqual(
      expect.arrayContaining([
        { field: '__proto__', messages: ['property __proto__ should not exist'] },
        { field: 'nested.constructor', messages: ['property constructor should not exist'] },
      ]),
    );
  });

  it(`refuses nesting deeper than ${MAX_INPUT_DEPTH} levels without walking it all`, () => {
    expect(inspectInput(nested(MAX_INPUT_DEPTH), '(body)')).toEqual([]);
    const errors = inspectInput(nested(5000), '(body)');
    expect(errors).toHaveLength(1);
    expect(errors[0].messages[0]).toMatch(`nested deeper than ${MAX_INPUT_DEPTH} levels`);
  });

  it('names the root when the body itself is the bad value', () => {
    expect(inspectInput('\u0000', '(body)')).toEqual([{ field: '(body)', messages: ['(body) must not contain NUL characters (\\u0000)'] }]);
  });
});
