import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** How far into the file reading has got: for the progress bar's estimate of the rows in all. */
export interface ReadPosition {
  bytesRead: number;
  size: number;
}

/**
 * The file's bytes as text, gunzipped when it starts with the gzip magic bytes (whatever its
 * name); `position`, when given, follows the bytes read from the file (compressed, for gzip).
 */
export async function openText(file: string, position?: ReadPosition): Promise<Readable> {
  const handle = await open(file, 'r');
  const head = Buffer.alloc(2);
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const raw = createReadStream(file);
  if (position) {
    position.size = (await stat(file)).size;
    raw.on('data', (chunk) => (position.bytesRead += chunk.length));
  }
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
