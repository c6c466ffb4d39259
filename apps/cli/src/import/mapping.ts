import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import type { Resolution } from '#ticketing';
import { IMPORT_MAPPING_SCHEMA } from './mapping-schema.js';
import BPI2013 from './mappings/bpi2013.json' with { type: 'json' };

/**
 * The import mapping: which column holds what, and which activity becomes which commands
 * (docs/schemas/import-mapping.schema.json). Checked against the schema before any row is read.
 */

export type RowAction = 'skip' | 'none' | 'release' | 'work' | 'hold' | 'close';

export interface ActivityRule {
  activity: string;
  action: RowAction;
  resolution?: Resolution;
}

export interface ImportMapping {
  source: string;
  description?: string;
  columns: {
    caseId: string;
    activity: string | string[];
    timestamp: { column: string; format: 'iso8601'; zone?: string };
    group: string;
    resource?: string;
    priority?: string;
    category?: string;
    product?: string;
    channel?: string;
    customer?: string;
    subject?: string;
  };
  csv?: { delimiter?: string; quote?: string };
  /** default none: no due times for imported tickets */
  slaPolicies?: 'none' | 'catalogue';
  constants?: { channel?: string; customer?: string; priority?: string; category?: string };
  lines?: Record<string, number>;
  activities: ActivityRule[];
}

/** A mapping file refused before anything was read or written: every problem, each with its path. */
export class MappingFileError extends Error {
  readonly code = 'IMPORT_MAPPING_INVALID';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: not a valid import mapping, nothing was imported:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'MappingFileError';
  }
}

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(IMPORT_MAPPING_SCHEMA);

/** The mapping in `text` (JSON, or YAML for a .yaml/.yml name), checked against the schema. */
export function parseMapping(file: string, text: string): ImportMapping {
  let document: unknown;
  try {
    document = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new MappingFileError(file, [error instanceof Error ? error.message : String(error)]);
  }
  if (!validate(document)) {
    throw new MappingFileError(
      file,
      (validate.errors ?? []).map(
        (error) => `${error.instancePath === '' ? '(document)' : error.instancePath}: ${error.message ?? 'invalid'}`,
      ),
    );
  }
  const mapping = document as ImportMapping;
  const zone = mapping.columns.timestamp.zone;
  if (zone !== undefined && !isZone(zone)) throw new MappingFileError(file, [`/columns/timestamp/zone: "${zone}" is no IANA time zone`]);
  return mapping;
}

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    // A RangeError is Intl's one answer for an unknown zone: that is the answer sought.
    return false;
  }
}

export async function readMapping(file: string): Promise<ImportMapping> {
  return parseMapping(file, await readFile(file, 'utf8'));
}

/** The shipped mapping of the BPI Challenge 2013 incident log, the default for XES input. */
export function bpi2013Mapping(): ImportMapping {
  return parseMapping('apps/cli/src/import/mappings/bpi2013.json', JSON.stringify(BPI2013));
}

/** The first rule whose pattern matches: the text itself, or a prefix before a trailing `*`. */
export function ruleFor(mapping: ImportMapping, activity: string): ActivityRule | undefined {
  return mapping.activities.find((rule) =>
    rule.activity.endsWith('*') ? activity.startsWith(rule.activity.slice(0, -1)) : activity === rule.activity,
  );
}

/** The support line of a group: by the longest matching suffix, else 1. */
export function lineOf(mapping: ImportMapping, group: string): number {
  let line = 1;
  let longest = -1;
  for (const [suffix, value] of Object.entries(mapping.lines ?? {})) {
    if (group.endsWith(suffix) && suffix.length > longest) {
      line = value;
      longest = suffix.length;
    }
  }
  return line;
}
