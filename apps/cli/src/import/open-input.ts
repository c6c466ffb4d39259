import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** The file's bytes as text, gunzipped when it starts with the gzip magic bytes (whatever its name). */
export async function openText(file: string): Promise<Readable> {
  const handle = await open(file, 'r');
  const head = Buffer.alloc(2);
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const raw = createReadStream(file);
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  const text = gzipped ? raw.pipe(createGunzip()) : raw;
  if (gzipped) raw.once('error', (error) => text.destroy(error));
  text.setEncoding('utf8');
  return text;
}

/** The log's format by its name, `.gz` aside. */
export function inputFormatOf(file: string): 'xes' | 'csv' | undefined {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.xes') || name.endsWith('.xml')) return 'xes';
  if (name.endsWith('.csv') || name.endsWith('.tsv') || name.endsWith('.txt')) return 'csv';
  return undefined;
}
