import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { baseType, type TableDefinition } from '../projections/table-definition.js';

/**
 * Rows into a table by `COPY ... FROM STDIN` (text format): for tables that have none of the
 * rows yet (a per-stream rebuild writes each ticket once into a fresh version), where an
 * INSERT's conflict handling has nothing to do. It replaces a jsonb array expanded by
 * `jsonb_populate_recordset`, whose parsing into jsonb and then into each column was the
 * largest PostgreSQL cost of a rebuild, and JSON.stringify of every row on the Node side.
 *
 * Values are written as the jsonb path would hand them to each column's input function, so
 * both paths store the same values: strings as they are, numbers as JavaScript prints them
 * (a non-finite one as NULL, as JSON.stringify makes it), booleans, json and jsonb as their JSON text;
 * null and a missing key as NULL.
 */
export async function copyRows(
  client: pg.ClientBase,
  physical: string,
  table: Pick<TableDefinition, 'columns'>,
  rows: Iterable<object>,
): Promise<number> {
  const encoders = table.columns.map(([name, type]) => ({ name, encode: encoderFor(baseType(type)) }));
  const names = encoders.map((column) => column.name);
  const stream = client.query(copyFrom(`COPY ${physical} (${names.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(lines(rows, encoders), { objectMode: false }), stream);
  return stream.rowCount;
}

/** The text COPY reads, a few hundred rows per chunk: fewer, larger writes than one per row. */
function* lines(rows: Iterable<object>, encoders: ReadonlyArray<{ name: string; encode: Encoder }>): Generator<string> {
  const last = encoders.length - 1;
  let chunk = '';
  for (const row of rows) {
    const values = row as Record<string, unknown>;
    for (let i = 0; i <= last; i++) {
      const value = values[encoders[i].name];
      chunk += value === null || value === undefined ? NULL : encoders[i].encode(value);
      chunk += i === last ? '\n' : '\t';
    }
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

type Encoder = (value: unknown) => string;

const CHUNK_CHARS = 1 << 16;
const NULL = '\\N';
const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPED: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value of COPY's text format: backslash, newline, carriage return and tab escaped. */
export function copyText(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPED[c]) : text;
}

function encoderFor(type: string): Encoder {
  switch (type) {
    case 'integer':
    case 'bigint':
    case 'double precision':
      return (value) => (typeof value === 'number' && !Number.isFinite(value) ? NULL : String(value));
    case 'boolean':
      return (value) => (value === true ? 't' : value === false ? 'f' : copyText(String(value)));
    case 'jsonb':
    case 'json':
      return (value) => copyText(JSON.stringify(value));
    default:
      return (value) => copyText(typeof value === 'string' ? value : String(value));
  }
}
