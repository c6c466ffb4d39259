import { describe, expect, it } from '@jest/globals';
import { FileTypeValidator } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

/**
 * package.json overrides @nestjs/common's file-type (22, Node >= 22) with 21.x (Node >= 20), so
 * `npm ci` on Node 20 warns of no engine. Nest uses it only in FileTypeValidator; this proves
 * the validator still detects types from content with the version installed.
 */
const require = createRequire(import.meta.url);

/** The file-type that @nestjs/common imports: its own nested copy if it has one, else the hoisted one. */
function installedFileType(): { version: string; engines: { node: string } } {
  // Not require.resolve('file-type/package.json'): the package's exports do not list it.
  const nestCommon = path.dirname(require.resolve('@nestjs/common/package.json'));
  const candidates = [
    path.join(nestCommon, 'node_modules/file-type/package.json'),
    path.resolve(nestCommon, '../../file-type/package.json'),
  ];
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`file-type is not installed beside @nestjs/common (looked at ${candidates.join(', ')})`);
  return JSON.parse(readFileSync(file, 'utf8')) as { version: string; engines: { node: string } };
}

/** A 1×1 grey PNG, built here so the spec carries no binary fixture. */
function onePixelPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0x80]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function upload(buffer: Buffer, mimetype: string) {
  return { fieldname: 'file', originalname: 'upload', encoding: '7bit', mimetype, size: buffer.length, buffer };
}

describe('file-type as overridden for @nestjs/common', () => {
  it('is a version that supports Node 20', () => {
    const fileType = installedFileType();
    expect(fileType.version).toMatch(/^21\./);
    expect(fileType.engines.node).toBe('>=20');
  });

  it("lets Nest's FileTypeValidator tell types by their content", async () => {
    const validator = new FileTypeValidator({ fileType: 'image/png' });
    const png = upload(onePixelPng(), 'image/png');
    const pdfClaimingPng = upload(Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1'), 'image/png');
    expect(await validator.isValid(png)).toBe(true);
    expect(await validator.isValid(pdfClaimingPng)).toBe(false);
    // Detected from the bytes, not a failure to load file-type (which reads as "could not be detected").
    expect(validator.buildErrorMessage(pdfClaimingPng)).toContain('current file type is application/pdf');
  });
});
