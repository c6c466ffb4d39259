import { compareStores, copyEvents, DEFAULT_COPY_BATCH_SIZE, type CopySummary, type StoreComparison } from '#event-store/copy/index.js';
import { PostgresCopyCheckpoints } from '#event-store/postgres/index.js';
import { errorFields, loadDatabaseConfig } from '#platform';
import { REFERENCE_STREAM_PREFIX, TICKET_STREAM_PREFIX } from '#ticketing';
import { withDatabase } from '../cli-database.js';
import { runLongCommand } from '../long-command.js';
import { parseOptions } from '../rebuild/parse-options.js';
import { formatDuration, ProgressBar } from '../rebuild/progress-bar.js';
import { UsageError } from '../usage.js';
import { countVisibleStreamEvents } from './count-stream-events.js';
import { openTargetEventStore } from './open-target-event-store.js';

/** The system of record: the tickets' streams and the reference data their due times were decided with. */
const COPIED_STREAM_PREFIXES = [TICKET_STREAM_PREFIX, REFERENCE_STREAM_PREFIX];

export const COPY_EVENTS_USAGE = 'copy-events --to <connection string> [--batch-size N] [--no-verify]';

const MAX_BATCH_SIZE = 100_000;
/** Streams listed per kind of difference; the count says how many more. */
const LISTED = 20;

export interface CopyEventsArgs {
  to: string;
  batchSize: number;
  verify: boolean;
}

export function parseCopyEventsArgs(args: string[]): CopyEventsArgs {
  const parsed = parseOptions(
    {
      args,
      allowPositionals: false,
      strict: true,
      options: { to: { type: 'string' }, 'batch-size': { type: 'string' }, 'no-verify': { type: 'boolean' } },
    },
    COPY_EVENTS_USAGE,
  );
  const to = parsed.values.to?.trim();
  if (to === undefined || to === '') throw new UsageError(`copy-events needs --to <connection string>; usage: ${COPY_EVENTS_USAGE}`);
  const raw = parsed.values['batch-size'];
  const batchSize = raw === undefined ? DEFAULT_COPY_BATCH_SIZE : /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new UsageError(`--batch-size must be a whole number of events from 1 to ${MAX_BATCH_SIZE.toLocaleString('en-US')}, got "${raw}"`);
  }
  return { to, batchSize, verify: parsed.values['no-verify'] !== true };
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function copyLine(summary: CopySummary, identity: string): string {
  const rate = summary.seconds > 0 ? Math.round((summary.eventsCopied + summary.eventsSkipped) / summary.seconds) : 0;
  const resumed = summary.resumedFrom === undefined ? '' : ` (continued after ${count(summary.eventsBefore)} events copied earlier)`;
  const head =
    `copy-events: ${count(summary.eventsCopied)} events copied, ${count(summary.eventsSkipped)} skipped as already there, ` +
    `${count(summary.streams)} streams, onto ${identity}${resumed} in ${formatDuration(summary.seconds)} (${count(rate)} events/s)`;
  if (summary.stopped) return `${head}; interrupted: the same command continues from the checkpoint.`;
  return `${head}; the target holds all ${count(summary.eventsDone)} events of the source's ticket and reference-data streams.`;
}

function listed(kind: string, streams: string[]): string[] {
  const more = streams.length > LISTED ? [`  … and ${count(streams.length - LISTED)} more ${kind}`] : [];
  return [...streams.slice(0, LISTED).map((streamId) => `  ${kind}  ${streamId}`), ...more];
}

function verificationLines(comparison: StoreComparison): string[] {
  if (comparison.identical) {
    return [
      `verified: both stores hold the same ${count(comparison.sourceEvents)} events ` +
        `in ${count(comparison.sourceStreams)} streams (per-stream SHA-256 digests equal).`,
    ];
  }
  return [
    `verification failed: ${count(comparison.missing.length)} streams missing from the target, ` +
      `${count(comparison.extra.length)} extra in it, ${count(comparison.different.length)} holding other events ` +
      `(source ${count(comparison.sourceEvents)} events in ${count(comparison.sourceStreams)} streams, ` +
      `target ${count(comparison.targetEvents)} in ${count(comparison.targetStreams)}):`,
    ...listed('missing', comparison.missing),
    ...listed('extra', comparison.extra),
    ...listed(
      'different',
      comparison.different.map(
        ({ streamId, source, target }) => `${streamId} (source ${count(source.events)} events, target ${count(target.events)})`,
      ),
    ),
  ];
}

/**
 * `copy-events --to <connection string>`: the configured store's ticket and reference-data streams onto another
 * event store, resumable (checkpoint in the source's event_store.copies) and idempotent, then
 * (unless --no-verify) both stores compared stream by stream. Usage errors and an unreachable
 * target stop it before anything is written. Exit codes: 0 copied and verified, 1 failed or
 * the stores differ, 2 wrong usage, 130 interrupted (the next run continues).
 */
export async function copyEventsCommand(args: string[]): Promise<void> {
  const { to, batchSize, verify } = parseCopyEventsArgs(args);
  const countable = loadDatabaseConfig(process.env).eventStore.kind === 'postgres';
  const target = await openTargetEventStore(to);
  try {
    await runLongCommand(({ logger, signal }) =>
      withDatabase(async ({ eventStorePool, eventStore }) => {
        await target.prepare();
        const checkpoints = new PostgresCopyCheckpoints(eventStorePool, target.identity);
        const checkpoint = await checkpoints.load();
        let total: number | undefined;
        try {
          // PostgreSQL's events table is the source only when the events are there (not with EVENT_STORE=eventstoredb).
          if (countable) {
            let visible = 0;
            for (const prefix of COPIED_STREAM_PREFIXES) visible += await countVisibleStreamEvents(eventStorePool, prefix);
            total = Math.max(0, visible - (checkpoint?.eventsCopied ?? 0));
          }
        } catch (error) {
          // Only the percentage and the ETA depend on it.
          logger.write(
            'warn',
            'could not count the events to copy; progress shows no percentage',
            error instanceof Error ? errorFields(error) : { error: String(error) },
          );
        }
        process.stderr.write(
          `copy-events: ${checkpoint === undefined ? 'copying' : `continuing after ${count(checkpoint.eventsCopied)} events, copying`} ` +
            `${total === undefined ? 'the' : count(total)} events of the ticket and reference-data streams onto ${target.identity}\n`,
        );
        const bar = new ProgressBar(process.stderr, 'copy-events', total);
        const done = (progress: { eventsCopied: number; eventsSkipped: number }): number => progress.eventsCopied + progress.eventsSkipped;
        const summary = await copyEvents({
          source: eventStore,
          target: target.store,
          checkpoints,
          streamPrefixes: COPIED_STREAM_PREFIXES,
          batchSize,
          signal: signal,
          onProgress: (progress) => bar.update(done(progress)),
        });
        bar.finish(done(summary));
        process.stdout.write(`${copyLine(summary, target.identity)}\n`);
        if (summary.stopped) {
          process.exitCode = 130;
          return;
        }
        if (!verify) {
          process.stdout.write('not verified (--no-verify).\n');
          return;
        }
        const check = new ProgressBar(process.stderr, 'verify (source + target)', summary.eventsDone * 2);
        const read = { source: 0, target: 0 };
        const comparison = await compareStores({
          source: eventStore,
          target: target.store,
          streamPrefixes: COPIED_STREAM_PREFIXES,
          sourceUntil: summary.position,
          pageSize: batchSize,
          onPage: (side, events) => {
            read[side] = events;
            check.update(read.source + read.target);
          },
        });
        check.finish(read.source + read.target);
        process.stdout.write(`${verificationLines(comparison).join('\n')}\n`);
        if (!comparison.identical) process.exitCode = 1;
      }),
    );
  } finally {
    await target.close();
  }
}
