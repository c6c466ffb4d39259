import { parse, type CsvError } from 'csv-parse';
import { Readable } from 'node:stream';
import { openText, type ReadPosition } from './open-input.js';
import type { SourceCase, UnreadableRow } from './source-row.js';

/** Delimiters tried on the header line when the mapping names none. */
const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter that splits the header line (outside quotes) most often: a header has at least the mapped columns. */
export function sniffDelimiter(headerLine: string): string {
  const counts = new Map(CANDIDATE_DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

export interface CsvOptions {
  caseIdColumn: string;
  delimiter?: string;
  quote?: string;
}

/**
 * The cases of a CSV log, streaming: csv-parse (the maintained parser of the `csv` project:
 * RFC 4180 quoting, any delimiter and quote, a stream with back-pressure, and records it cannot
 * read reported with their line instead of ending the parse). The first line is the header. A
 * case's rows must be contiguous (sorted by case, in time order within it): a case is complete
 * when the next one starts, so memory holds one case. A record with another number of fields than
 * the header (a wrong delimiter, a truncated line) or broken quoting is an unreadable row.
 */
export async function* readCsvCases(
  file: string,
  options: CsvOptions,
  position?: ReadPosition,
): AsyncGenerator<SourceCase | UnreadableRow> {
  const text = await openText(file, position);
  const chunks = text[Symbol.asyncIterator]() as AsyncIterator<string>;
  let head = '';
  while (!/\n/.test(head)) {
    const next = await chunks.next();
    if (next.done === true) break;
    head += next.value;
  }
  const unreadable: UnreadableRow[] = [];
  const parser = parse({
    columns: true,
    bom: true,
    info: true,
    raw: true,
    delimiter: options.delimiter ?? sniffDelimiter(head.split(/\r?\n/)[0]),
    quote: options.quote ?? '"',
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      // The case id, when the record's first field still says it (the rejects file names it).
      const caseId = raw
        ?.split(/[,;\t|]/)[0]
        ?.replace(/"/g, '')
        .trim();
      unreadable.push({
        line: typeof error?.lines === 'number' ? error.lines : 0,
        reason: 'malformed_line',
        message: error?.message ?? 'unreadable record',
        ...(caseId ? { caseId } : {}),
      });
      return undefined;
    },
  });
  const rest = Readable.from(
    (async function* () {
      yield head;
      for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
    })(),
  );
  rest.once('error', (error) => parser.destroy(error));
  rest.pipe(parser);

  let current: SourceCase | undefined;
  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield* unreadable.splice(0);
    const caseId = (item.record[options.caseIdColumn] ?? '').trim();
    if (current !== undefined && current.caseId !== caseId) {
      yield current;
      current = undefined;
    }
    current ??= { caseId, rows: [] };
    current.rows.push({ line: item.info.lines, fields: item.record });
  }
  yield* unreadable.splice(0);
  if (current !== undefined) yield current;
}
