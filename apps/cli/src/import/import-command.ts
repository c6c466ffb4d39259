import { streamsWithEvents } from '#event-store/postgres/bulk-load.js';
import { referenceMode, type ReferenceContext } from '#ticketing';
import { loadAutomationConfig, ReferenceStore } from '#platform';
import { writeInProcess } from '../bulk/write-in-process.js';
import { withDatabase } from '../cli-database.js';
import { runLongCommand } from '../long-command.js';
import { parseOptions } from '../rebuild/parse-options.js';
import { formatDuration, ProgressBar } from '../rebuild/progress-bar.js';
import { UsageError } from '../usage.js';
import { readCsvCases } from './csv-reader.js';
import { emptyTally, importAppends, type ImportTally, type Rejection } from './import-log.js';
import { bpi2013Mapping, readMapping, type ImportMapping } from './mapping.js';
import { inputFormatOf, type ReadPosition } from './open-input.js';
import { RejectsFile } from './rejects-file.js';
import type { SourceCase, UnreadableRow } from './source-row.js';
import { BRIDGE_KINDS } from './translate.js';
import { readXesCases } from './xes-reader.js';

export const IMPORT_USAGE = 'import <file.xes[.gz]|file.csv[.gz]> [--mapping <file.json|file.yaml>] [--rejects <file.csv>] [--dry-run]';

interface ImportArgs {
  file: string;
  format: 'xes' | 'csv';
  mapping: string | undefined;
  rejects: string;
  dryRun: boolean;
}

export function parseImportArgs(args: string[]): ImportArgs {
  const parsed = parseOptions(
    {
      args,
      allowPositionals: true,
      strict: true,
      options: { mapping: { type: 'string' }, rejects: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    },
    IMPORT_USAGE,
  );
  if (parsed.positionals.length !== 1) throw new UsageError(`import needs exactly one file; usage: ${IMPORT_USAGE}`);
  const file = parsed.positionals[0];
  const format = inputFormatOf(file);
  if (format === undefined) throw new UsageError(`import: ${file} must end in .xes, .xml, .csv, .tsv or .txt (optionally .gz)`);
  const mapping = parsed.values.mapping;
  if (mapping === undefined && format === 'csv') throw new UsageError('import: a CSV log needs --mapping (the default mapping is for XES)');
  return {
    file,
    format,
    mapping,
    rejects: parsed.values.rejects ?? `${file.replace(/\.gz$/i, '')}.rejects.csv`,
    dryRun: parsed.values['dry-run'] === true,
  };
}

function rowsOf(args: ImportArgs, mapping: ImportMapping, position: ReadPosition): AsyncIterable<SourceCase | UnreadableRow> {
  if (args.format === 'xes') return readXesCases(args.file, mapping.columns.caseId, position);
  return readCsvCases(args.file, { caseIdColumn: mapping.columns.caseId, ...mapping.csv }, position);
}

/** `import`: the log through decide/evolve into the event store, many tickets per transaction. */
export async function importCommand(args: string[]): Promise<void> {
  const options = parseImportArgs(args);
  const mapping = options.mapping === undefined ? bpi2013Mapping() : await readMapping(options.mapping);
  const rejects = new RejectsFile(options.rejects);
  const tally = emptyTally();
  const started = performance.now();
  let failed = true;
  try {
    await runLongCommand(({ signal }) =>
      withDatabase(async ({ eventStore, eventStorePool }) => {
        const catalogue = (await new ReferenceStore(eventStore, eventStorePool).loadAll()).catalogue;
        const reference: ReferenceContext = { catalogue, mode: referenceMode(loadAutomationConfig(process.env).referenceMode, catalogue) };
        const bar = new ProgressBar(process.stderr, `import${options.dryRun ? ' (dry run)' : ''}`, undefined, { unit: 'rows' });
        const position: ReadPosition = { bytesRead: 0, size: 0 };
        const pending: Rejection[] = [];
        // A file that turns out unreadable half-way (XML that is not well-formed) ends the rows
        // there: the cases before it are written whole, then the failure is raised.
        let unreadable: { error: unknown } | undefined;
        const rows = (async function* () {
          try {
            yield* rowsOf(options, mapping, position);
          } catch (error) {
            unreadable = { error };
          }
        })();
        const appends = importAppends(rows, {
          mapping,
          store: eventStore,
          existingStreams: (streamIds) => streamsWithEvents(eventStorePool, streamIds),
          reference,
          tally,
          onReject: (rejection) => pending.push(rejection),
          onCase: (rows) => {
            // The rows in all are unknown until the end: the share of the file read so far extrapolates them.
            if (position.bytesRead > 0) bar.setTotal(Math.max(rows, Math.round((rows * position.size) / position.bytesRead)));
            bar.update(rows);
          },
          signal,
        });
        const flushRejects = async () => {
          for (const rejection of pending.splice(0)) await rejects.write(rejection);
        };
        await writeInProcess(
          eventStorePool,
          (async function* () {
            for await (const append of appends) {
              await flushRejects();
              yield append;
            }
          })(),
          { dryRun: options.dryRun },
        );
        await flushRejects();
        if (!tally.interrupted && unreadable === undefined) bar.setTotal(tally.rows);
        bar.finish(tally.rows);
        if (unreadable !== undefined) throw unreadable.error;
      }),
    );
    failed = false;
    // Like an interrupted rebuild: 130, and the same command continues.
    if (tally.interrupted) process.exitCode = 130;
  } finally {
    await rejects.close();
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${summary(tally, options, seconds, failed)}\n`);
  }
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function lines(entries: Array<[string, number]>): string {
  return entries.length === 0 ? '  none' : entries.map(([key, value]) => `  ${key}: ${count(value)}`).join('\n');
}

/** The KPIs the source could not fill: nothing in it answers, promises or rates. */
export function kpisNotFilled(tally: ImportTally): string[] {
  const missing: string[] = [];
  if ((tally.eventTypes.TicketResponded ?? 0) === 0) missing.push('FRT and FCR by response (no public response in the source)');
  if (!tally.sawDueTime) missing.push('SLA figures: on-time claim/response, SLA compliance, delays (no targets in the source or policies)');
  if ((tally.eventTypes.TicketSurveyed ?? 0) === 0) missing.push('CSAT (no surveys in the source)');
  return missing;
}

export function summary(
  tally: ImportTally,
  options: Pick<ImportArgs, 'file' | 'rejects' | 'dryRun'>,
  seconds: number,
  failed: boolean,
): string {
  const rejected = Object.values(tally.rejects).reduce((sum, n) => sum + (n ?? 0), 0);
  const head = failed
    ? 'import stopped (what is above the failure is stored)'
    : tally.interrupted
      ? 'import interrupted (the cases read so far are stored; the same command continues)'
      : options.dryRun
        ? 'import dry run (nothing written)'
        : 'import done';
  const written = options.dryRun ? 'decided' : 'written';
  const rate = count(Math.round(tally.events / Math.max(seconds, 0.001)));
  const rejectLines = lines(
    Object.entries(tally.rejects)
      .map(([reason, n]): [string, number] => [reason, n ?? 0])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return [
    `${head}: ${options.file} in ${formatDuration(seconds)}`,
    `cases: ${count(tally.cases)}; tickets: ${count(tally.tickets)}; rows: ${count(tally.rows)}`,
    `commands: ${count(tally.commands)} (${count(tally.commandsAlreadyImported)} already imported)`,
    `events ${written}: ${count(tally.events)} (${rate}/s)`,
    `rows skipped by the mapping: ${count(tally.skipped)}`,
    `bridges (what the live rules refuse, replayed explicitly):\n${lines(BRIDGE_KINDS.map((kind) => [kind, tally.bridges[kind]]))}`,
    `rejected rows: ${count(rejected)}${rejected > 0 ? ` (listed in ${options.rejects})` : ''}\n${rejectLines}`,
    ...(Object.keys(tally.refusals).length > 0 ? [`refused by the rules, by code:\n${lines(Object.entries(tally.refusals))}`] : []),
    `KPIs the source could not fill:\n${
      kpisNotFilled(tally)
        .map((kpi) => `  ${kpi}`)
        .join('\n') || '  none'
    }`,
  ].join('\n');
}
