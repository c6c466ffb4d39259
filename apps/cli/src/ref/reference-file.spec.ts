import { describe, expect, it } from '@jest/globals';
import { parseReferenceFile, ReferenceFileError } from './reference-file.js';

function problemsOf(text: string, format: 'json' | 'yaml'): string[] {
  try {
    parseReferenceFile('f', text, format);
  } catch (error) {
    if (error instanceof ReferenceFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('parseReferenceFile', () => {
  it('names the line and column of every schema problem, and why', () => {
    const yaml = [
      'calendars:',
      '  24x7:',
      '    - name: Always',
      "      effectiveFrom: '2026-01-01'",
      '      definition: { zone: UTC, weekly: { mon: [["09:00", "25:00"]] } }',
      '',
    ].join('\n');
    expect(problemsOf(yaml, 'yaml')).toEqual([
      'f:2:3: calendars.24x7: the key is the built-in 24/7 calendar and cannot be defined',
      'f:4:22: calendars.24x7[0].effectiveFrom: must be an ISO-8601 instant with Z or an offset',
      'f:5:58: calendars.24x7[0].definition.weekly.mon[0][1]: must match pattern "^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$"',
    ]);
  });

  it('reports a YAML syntax error and a duplicate key with their lines', () => {
    expect(problemsOf('units:\n  a: { name: A }\n  a: { name: B }\n', 'yaml')).toEqual([
      expect.stringMatching(/^f:3:3: Map keys must be unique/),
    ]);
    expect(problemsOf('units:\n  a: [\n', 'yaml')[0]).toMatch(/^f:\d+:\d+: /);
  });

  it('locates a path whose ids hold dots and slashes, for the rules checked after the schema', () => {
    const json = JSON.stringify({ categories: { 'a.b/c': { name: 'ABC', parent: 'x.y' } } }, null, 2);
    const parsed = parseReferenceFile('f', json, 'json');
    expect(parsed.locate('categories.a.b/c.parent')).toBe('5:17');
    // A path that leaves the document at some point is placed at the deepest node it reaches.
    expect(parsed.locate('categories.a.b/c.nothing.here')).toBe('3:14');
  });

  it('accepts the document as the schema describes it', () => {
    const parsed = parseReferenceFile('f', 'channels:\n  phone: { name: Phone }\n', 'yaml');
    expect(parsed.document).toEqual({ channels: { phone: { name: 'Phone' } } });
  });
});
