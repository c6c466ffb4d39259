import { Writable } from 'node:stream';
import type { Response } from 'express';

/** Enough of an express Response to stream a report answer into memory, for specs without HTTP. */
export class CapturedResponse extends Writable {
  readonly headers: Record<string, string> = {};
  statusCode = 0;
  private readonly chunks: Buffer[] = [];

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  setHeader(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
    done();
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  asResponse(): Response {
    return this as unknown as Response;
  }
}
