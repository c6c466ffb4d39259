import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import type { ReferenceDocument } from '#ticketing';
import { REFERENCE_DATA_SCHEMA } from './reference-data-schema.js';

/**
 * Reading and writing the reference-data file of `cli ref` (JSON or YAML, by its extension):
 * parsed with positions, checked against the published JSON Schema, and every problem reported
 * as `file:line:column: path: reason`, so an admin can go straight to the spot.
 */

export type FileFormat = 'json' | 'yaml';

export function formatOf(file: string): FileFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return undefined;
}

/** A file refused before anything was written: every problem found, each with its place. */
export class ReferenceFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: refused, nothing was written:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ReferenceFileError';
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(REFERENCE_DATA_SCHEMA);

export interface ParsedReferenceFile {
  document: Partial<ReferenceDocument>;
  /** `line:column` of a path in the document (`units.front.calendar`, `users.deniz.memberships[0].unit`), as near as it exists */
  locate(path: string): string;
}

function jsonSyntaxProblem(text: string, error: SyntaxError, counter: LineCounter): string {
  // V8 names the offset ("at position 42"); the line and column are what an editor shows.
  const offset = /position (\d+)/.exec(error.message);
  if (offset === null) return `1:1: ${error.message}`;
  const { line, col } = counter.linePos(Math.min(Number(offset[1]), text.length));
  return `${line}:${col}: ${error.message.replace(/ in JSON at position \d+.*$/, '')}`;
}

/** The segments of a reported path, read against the document so ids with dots or slashes stay whole. */
function segmentsOf(root: unknown, path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  let rest = path;
  let node: unknown = root;
  while (rest.length > 0) {
    const index = /^\[(\d+)\]/.exec(rest);
    if (index !== null && Array.isArray(node)) {
      segments.push(Number(index[1]));
      node = node[Number(index[1])];
      rest = rest.slice(index[0].length).replace(/^\./, '');
      continue;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) break;
    // The longest key the rest starts with, followed by the end, a dot or an index.
    const key = Object.keys(node)
      .filter((candidate) => rest === candidate || rest.startsWith(`${candidate}.`) || rest.startsWith(`${candidate}[`))
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined) break;
    segments.push(key);
    node = (node as Record<string, unknown>)[key];
    rest = rest.slice(key.length).replace(/^\./, '');
  }
  return segments;
}

function jsonPointerSegments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function pathText(segments: ReadonlyArray<string | number>): string {
  return segments.reduce<string>((text, segment) => {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) return `${text}[${segment}]`;
    return text === '' ? segment : `${text}.${segment}`;
  }, '');
}

function reason(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return `unknown field "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'required') return `missing field "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'enum')
    return `must be one of ${(error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
  if (error.keyword === 'pattern' && error.instancePath.endsWith('effectiveFrom')) return 'must be an ISO-8601 instant with Z or an offset';
  if (error.keyword === 'pattern' && error.schemaPath.startsWith('#/$defs/id/')) {
    return 'must be an id: 1 to 128 letters, digits and . _ : - /, starting with a letter or digit (no spaces, no @)';
  }
  if (error.keyword === 'not' && error.propertyName === '24x7') return 'is the built-in 24/7 calendar and cannot be defined';
  return error.message ?? error.keyword;
}

/** Parses and checks a file's text; throws ReferenceFileError with every problem and its line. */
export function parseReferenceFile(file: string, text: string, format: FileFormat): ParsedReferenceFile {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw new ReferenceFileError(file, [`${file}:${jsonSyntaxProblem(text, error, counter)}`]);
    }
  }
  if (doc.errors.length > 0) {
    throw new ReferenceFileError(
      file,
      doc.errors.map((error) => {
        const { line, col } = counter.linePos(error.pos[0]);
        return `${file}:${line}:${col}: ${error.message.split('\n')[0]}`;
      }),
    );
  }
  const document: unknown = doc.toJS({ maxAliasCount: 100 });

  const positionOf = (segments: ReadonlyArray<string | number>, key?: string): string => {
    let node: unknown = doc.contents;
    let found: Node | undefined = isNode(node) ? node : undefined;
    const path = key === undefined ? segments : [...segments, key];
    for (const [depth, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        // An unknown or bad key points at the key itself; anything else at its value.
        const atKey = depth === path.length - 1 && key !== undefined;
        node = atKey ? pair.key : pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(segment)];
      } else break;
      if (isNode(node)) found = node;
    }
    const offset = found?.range?.[0] ?? 0;
    const { line, col } = counter.linePos(offset);
    return `${line}:${col}`;
  };

  if (!validate(document)) {
    const problems = (validate.errors ?? [])
      // A oneOf's own error repeats what its branches said; the branches name the field.
      // (propertyNames too: the error of the key's own check, which carries propertyName, says why.)
      .filter((error) => !['oneOf', 'anyOf', 'if', 'propertyNames'].includes(error.keyword))
      .map((error) => {
        const segments = jsonPointerSegments(error.instancePath);
        const key =
          error.keyword === 'additionalProperties'
            ? String(error.params.additionalProperty)
            : error.propertyName !== undefined
              ? error.propertyName
              : undefined;
        const where = pathText(key === undefined ? segments : [...segments, key]) || '(the document)';
        const why = error.propertyName !== undefined ? `the key ${reason(error)}` : reason(error);
        return `${file}:${positionOf(segments, key)}: ${where}: ${why}`;
      });
    throw new ReferenceFileError(file, [...new Set(problems)]);
  }
  return {
    document: document as Partial<ReferenceDocument>,
    locate: (path) => positionOf(segmentsOf(document, path)),
  };
}

export function serializeReferenceDocument(document: ReferenceDocument, format: FileFormat): string {
  return format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : stringify(document, { lineWidth: 0 });
}
