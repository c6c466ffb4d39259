import { readFile, writeFile } from 'node:fs/promises';
import { ReferenceStore, systemClock } from '#platform';
import { DomainError, toDocument } from '#ticketing';
import { withDatabase } from '../cli-database.js';
import { parseArgs, UsageError } from '../usage.js';
import { formatOf, parseReferenceFile, ReferenceFileError, serializeReferenceDocument } from './reference-file.js';

/** `ref export [--out file.json|.yaml]`: the whole reference data, as `GET /admin/reference` answers it. */
async function exportReference(args: string[]): Promise<void> {
  const { positional, options } = parseArgs(args);
  for (const name of options.keys()) if (name !== 'out') throw new UsageError(`unknown option --${name}`);
  if (positional.length > 0) throw new UsageError(`ref export takes no positional arguments (got ${positional.join(' ')})`);
  const outs = options.get('out') ?? [];
  if (outs.length > 1) throw new UsageError('ref export takes one --out');
  const out = outs[0];
  const format = out === undefined ? 'json' : formatOf(out);
  if (format === undefined) throw new UsageError('ref export --out needs a file ending in .json, .yaml or .yml');
  const loaded = await withDatabase(({ eventStore, eventStorePool }) => new ReferenceStore(eventStore, eventStorePool).loadAll());
  const text = serializeReferenceDocument(toDocument(loaded.catalogue), format);
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  await writeFile(out, text, 'utf8');
  process.stderr.write(`Wrote the reference data to ${out}.\n`);
}

/**
 * `ref import <file>`: the file is read, checked against the JSON Schema, then decided whole
 * (decideReference, as the admin API) before the first append; any problem names its line.
 */
async function importReference(args: string[]): Promise<void> {
  const { positional, options } = parseArgs(args);
  if (options.size > 0) throw new UsageError(`ref import takes no options (got --${[...options.keys()].join(', --')})`);
  if (positional.length !== 1) throw new UsageError('ref import needs exactly one file (.json, .yaml or .yml)');
  const file = positional[0];
  const format = formatOf(file);
  if (format === undefined) throw new UsageError(`ref import: ${file} must end in .json, .yaml or .yml`);
  const parsed = parseReferenceFile(file, await readFile(file, 'utf8'), format);
  const result = await withDatabase(async ({ eventStore, eventStorePool }) => {
    try {
      return await new ReferenceStore(eventStore, eventStorePool).importDocument(parsed.document, {
        at: systemClock.now().toISOString(),
        by: 'cli',
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const field = typeof error.details.field === 'string' ? error.details.field : '';
      throw new ReferenceFileError(file, [`${file}:${parsed.locate(field)}: ${error.message} (${error.code})`]);
    }
  });
  process.stdout.write(
    result.written === 0
      ? `Nothing to change: all ${result.unchanged} entities and versions are already as ${file} states them.\n`
      : `Imported ${file}: ${result.written} changed, ${result.unchanged} already so.\n`,
  );
}

/** `ref export|import` */
export async function refCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  switch (action) {
    case 'export':
      return exportReference(rest);
    case 'import':
      return importReference(rest);
    default:
      throw new UsageError(action === undefined ? 'ref needs export or import' : `unknown ref command "${action}"`);
  }
}
