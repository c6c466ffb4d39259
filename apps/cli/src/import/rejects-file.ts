import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Rejection } from './import-log.js';

/** A CSV field, quoted when it must be (RFC 4180). */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rejects file: a header, then `line,case,reason,message` per rejected row, in file order. */
export class RejectsFile {
  private readonly out: WriteStream;

  constructor(file: string) {
    this.out = createWriteStream(file, { encoding: 'utf8' });
    this.out.write('line,case,reason,message\n');
  }

  async write(rejection: Rejection): Promise<void> {
    const line = [rejection.line, rejection.caseId, rejection.reason, rejection.message].map(csvField).join(',');
    if (!this.out.write(`${line}\n`)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}
