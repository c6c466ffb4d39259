import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { bpi2013Mapping, lineOf, MappingFileError, parseMapping, ruleFor } from './mapping.js';
import { IMPORT_MAPPING_SCHEMA } from './mapping-schema.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

function problems(file: string, text: string): string[] {
  try {
    parseMapping(file, text);
  } catch (error) {
    if (error instanceof MappingFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the mapping to be refused');
}

describe('the import mapping', () => {
  it('the published schema is the one built in', () => {
    const published: unknown = JSON.parse(readFileSync(path.join(ROOT, 'docs/schemas/import-mapping.schema.json'), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(IMPORT_MAPPING_SCHEMA)));
  });

  it('the shipped BPI 2013 mapping is valid and states the README rules in order', () => {
    const mapping = bpi2013Mapping();
    expect(ruleFor(mapping, 'Unmatched/Unmatched')?.action).toBe('skip');
    expect(ruleFor(mapping, 'Accepted/Wait - Implementation')?.action).toBe('hold');
    expect(ruleFor(mapping, 'Accepted/Assigned')?.action).toBe('work');
    expect(ruleFor(mapping, 'Completed/Cancelled')).toEqual({
      activity: 'Completed/Cancelled',
      action: 'close',
      resolution: 'not_resolved',
    });
    expect(ruleFor(mapping, 'Queued/Somewhere else')).toBeUndefined();
    expect([lineOf(mapping, 'V30'), lineOf(mapping, 'N52 2nd'), lineOf(mapping, 'V5 3rd'), lineOf(mapping, 'G2nd')]).toEqual([1, 2, 3, 1]);
  });

  it('reads YAML as well as JSON', () => {
    const yaml = [
      'source: s',
      'columns:',
      '  caseId: c',
      '  activity: a',
      '  timestamp: { column: t, format: iso8601, zone: Europe/Istanbul }',
      '  group: g',
      'activities:',
      '  - { activity: "*", action: none }',
    ].join('\n');
    expect(parseMapping('m.yaml', yaml).columns.timestamp.zone).toBe('Europe/Istanbul');
  });

  it('refuses what the schema refuses, with each path', () => {
    const columns = { caseId: 'c', activity: 'a', timestamp: { column: 't', format: 'iso8601' }, group: 'g' };
    const base = { source: 's', columns };
    expect(problems('m.json', JSON.stringify({ ...base, activities: [{ activity: 'x', action: 'close' }] }))).toEqual([
      "/activities/0: must have required property 'resolution'",
      '/activities/0: must match "then" schema',
    ]);
    expect(problems('m.json', JSON.stringify({ ...base, activities: [{ activity: 'x', action: 'fly' }] }))).toEqual([
      '/activities/0/action: must be equal to one of the allowed values',
    ]);
    expect(problems('m.json', '{ "source": ')).toHaveLength(1);
    const zone = { ...base, columns: { ...base.columns, timestamp: { column: 't', format: 'iso8601', zone: 'Mars/Olympus' } } };
    expect(problems('m.json', JSON.stringify({ ...zone, activities: [{ activity: 'x', action: 'none' }] }))).toEqual([
      '/columns/timestamp/zone: "Mars/Olympus" is no IANA time zone',
    ]);
  });
});
