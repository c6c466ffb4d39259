import { describe, expect, it } from '@jest/globals';
import { BENCHES, parseArgs, USAGE, UsageError } from './usage.js';

describe('parseArgs', () => {
  it('reads --name value, --name=value and repeated options', () => {
    const parsed = parseArgs(['create', '--name', 'call centre', '--role=service', '--role', 'importer']);
    expect(parsed.positional).toEqual(['create']);
    expect(parsed.options.get('name')).toEqual(['call centre']);
    expect(parsed.options.get('role')).toEqual(['service', 'importer']);
  });

  it('refuses an option without its value', () => {
    expect(() => parseArgs(['--name'])).toThrow(UsageError);
    expect(() => parseArgs(['--name', '--role', 'x'])).toThrow('--name needs a value');
  });
});

describe('USAGE', () => {
  it('documents every bench the bench command runs', () => {
    for (const bench of BENCHES) expect({ bench, documented: USAGE.includes(`bench ${bench} [`) }).toEqual({ bench, documented: true });
  });
});
