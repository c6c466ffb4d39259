import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { openText, type ReadPosition } from './open-input.js';
import type { SourceCase, SourceRow } from './source-row.js';

/** An XES file that is not well-formed XML: the import stops (a half-read trace cannot be trusted). */
export class XesSyntaxError extends Error {
  readonly code = 'IMPORT_XES_MALFORMED';
  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: not well-formed XES: ${reason}`);
    this.name = 'XesSyntaxError';
  }
}

const ATTRIBUTE_TAGS = new Set(['string', 'date', 'int', 'float', 'boolean', 'id']);

/**
 * The traces of an XES log (IEEE 1849), one at a time, streaming: saxes (a maintained, evented
 * SAX parser with line numbers and strict well-formedness) reads the text chunk by chunk, so
 * memory holds one trace, not the log. Each event becomes a row of its own attributes plus the
 * trace's as `case:<key>` (the column naming process-mining tools use for flattened logs); the
 * case id is the mapping's column (BPI 2013: `case:concept:name`);
 * nested attributes (children of an attribute) and log-level attributes are not columns.
 */
export async function* readXesCases(file: string, caseIdColumn: string, position?: ReadPosition): AsyncGenerator<SourceCase> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const done: SourceCase[] = [];
  const stack: string[] = [];
  let traceFields: Record<string, string> | null = null;
  let events: SourceRow[] = [];
  let event: SourceRow | null = null;
  let failure: Error | null = null;

  parser.on('error', (error) => {
    failure ??= new XesSyntaxError(file, parser.line, error.message);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const parent = stack[stack.length - 1];
    stack.push(tag.name);
    if (tag.name === 'trace' && parent === 'log') {
      traceFields = {};
      events = [];
    } else if (tag.name === 'event' && parent === 'trace' && traceFields !== null) {
      event = { line: parser.line, fields: {} };
    } else if (ATTRIBUTE_TAGS.has(tag.name)) {
      const key = tag.attributes.key;
      const value = tag.attributes.value;
      if (typeof key !== 'string' || typeof value !== 'string') return;
      if (parent === 'event' && event !== null) event.fields[key] = value;
      else if (parent === 'trace' && traceFields !== null) traceFields[`case:${key}`] = value;
    }
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    if (tag.name === 'event' && event !== null) {
      events.push(event);
      event = null;
    } else if (tag.name === 'trace' && traceFields !== null) {
      const fields = traceFields;
      // Trace attributes may follow the events in a file; they are every row's.
      for (const row of events) Object.assign(row.fields, fields);
      done.push({ caseId: fields[caseIdColumn]?.trim() ?? '', rows: events });
      traceFields = null;
    }
  });

  const text = await openText(file, position);
  for await (const chunk of text) {
    parser.write(chunk as string);
    if (failure) throw failure;
    yield* done.splice(0);
  }
  parser.close();
  if (failure) throw failure;
  yield* done.splice(0);
}
