import { streamsWithEvents, type BulkAppend } from '#event-store/postgres/bulk-load.js';
import { ticketStreamId } from '#ticketing';
import {
  centreAppends,
  centreReferenceDocument,
  generateCentreTickets,
  referenceSeedAppends,
  type SeedAppend,
  type SeedWorkload,
} from '#workload';
import { writeInProcess } from '../bulk/write-in-process.js';
import { withDatabase } from '../cli-database.js';
import { runLongCommand } from '../long-command.js';
import { parseOptions } from '../rebuild/parse-options.js';
import { formatDuration, ProgressBar } from '../rebuild/progress-bar.js';
import { UsageError } from '../usage.js';
import { streamToApi, type StreamTally } from './stream-to-api.js';

export const SIMULATE_USAGE =
  'simulate [--seed 7] [--tickets 100000] [--days 365] [--start 2026-01-01] [--dry-run] [--api <url> --rate <commands/s> [--key <key>]]';

/** The environment variable that holds the API key for `--api` when `--key` is not given. */
export const SIMULATE_KEY_ENV = 'BILDIRIM_API_KEY';

/** The store already holds this seed's tickets: a simulation is written once (its streams start at no_stream). */
export class SimulationExistsError extends Error {
  constructor(seed: number, streamId: string) {
    super(`simulate: the store already holds seed ${seed}'s tickets (${streamId}); simulate into a fresh store or with another --seed`);
    this.name = 'SimulationExistsError';
  }
}

export interface SimulateArgs {
  workload: SeedWorkload;
  dryRun: boolean;
  api: { url: string; rate: number; key: string } | undefined;
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`simulate: --${name} must be a positive integer, not "${value}"`);
  return n;
}

export function parseSimulateArgs(args: string[], env: NodeJS.ProcessEnv = process.env): SimulateArgs {
  const { values, positionals } = parseOptions(
    {
      args,
      allowPositionals: true,
      strict: true,
      options: {
        seed: { type: 'string' },
        tickets: { type: 'string' },
        days: { type: 'string' },
        start: { type: 'string' },
        'dry-run': { type: 'boolean' },
        api: { type: 'string' },
        rate: { type: 'string' },
        key: { type: 'string' },
      },
    },
    SIMULATE_USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`simulate takes no positional arguments; usage: ${SIMULATE_USAGE}`);
  const seedText = values.seed ?? '7';
  const seed = Number(seedText);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new UsageError(`simulate: --seed must be an integer from 0 to 4294967295, not "${seedText}"`);
  const startText = values.start ?? '2026-01-01';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startText) || Number.isNaN(Date.parse(`${startText}T00:00:00Z`)))
    throw new UsageError(`simulate: --start must be a date (YYYY-MM-DD), not "${startText}"`);
  const workload: SeedWorkload = {
    seed,
    tickets: positiveInteger('tickets', values.tickets, 100_000),
    days: positiveInteger('days', values.days, 365),
    start: new Date(`${startText}T00:00:00Z`),
    // History, as an import's: the watchdog lets a ticket settle before judging it (WATCHDOG_BACKFILL_QUIET).
    backdated: true,
  };
  const dryRun = values['dry-run'] === true;
  if (values.api === undefined) {
    if (values.rate !== undefined || values.key !== undefined) throw new UsageError('simulate: --rate and --key go with --api');
    return { workload, dryRun, api: undefined };
  }
  if (dryRun) throw new UsageError('simulate: --dry-run writes nothing and --api sends commands; choose one');
  if (!URL.canParse(values.api)) throw new UsageError(`simulate: --api must be a URL (http://host:port), not "${values.api}"`);
  const url = new URL(values.api);
  if (values.rate === undefined) throw new UsageError('simulate: --api needs --rate <commands/s>');
  const key = values.key ?? env[SIMULATE_KEY_ENV];
  if (key === undefined || key === '')
    throw new UsageError(`simulate: --api needs an API key (service role): --key or ${SIMULATE_KEY_ENV}`);
  return { workload, dryRun, api: { url: url.toString(), rate: positiveInteger('rate', values.rate, 1), key } };
}

export interface SimulateTally {
  tickets: number;
  /** reference entities registered (their streams), and those the store had already */
  referenceStreams: number;
  referenceStreamsKept: number;
  events: number;
  eventTypes: Record<string, number>;
  interrupted: boolean;
}

/** The workload's appends, counted into the tally; stops between tickets once `signal` aborts. */
function* countedAppends(
  workload: SeedWorkload,
  tally: SimulateTally,
  signal: AbortSignal,
  onTicket: (tickets: number) => void,
): Generator<SeedAppend> {
  for (const append of centreAppends(workload, () => {
    tally.tickets += 1;
    onTicket(tally.tickets);
  })) {
    if (signal.aborted) {
      tally.interrupted = true;
      return;
    }
    tally.events += append.events.length;
    for (const event of append.decided) tally.eventTypes[event.type] = (tally.eventTypes[event.type] ?? 0) + 1;
    yield append;
  }
}

/** `simulate`: the seeded contact centre's history, written in-process like an import, or sent to an API. */
export async function simulateCommand(args: string[]): Promise<void> {
  const options = parseSimulateArgs(args);
  const started = performance.now();
  if (options.api) {
    const api = options.api;
    const tally = await runLongCommand(({ signal }) => streamToApi(options.workload, api, signal));
    process.stdout.write(`${apiSummary(options, tally, (performance.now() - started) / 1000)}\n`);
    if (tally.interrupted) process.exitCode = 130;
    return;
  }
  const tally: SimulateTally = { tickets: 0, referenceStreams: 0, referenceStreamsKept: 0, events: 0, eventTypes: {}, interrupted: false };
  await runLongCommand(({ signal }) =>
    withDatabase(async ({ eventStorePool }) => {
      const { seed, start, days } = options.workload;
      // The first ticket's id does not depend on how many follow it.
      const first = generateCentreTickets({ tickets: 1, seed, start, days }).next();
      if (first.done !== true) {
        const streamId = ticketStreamId(first.value.ticketId);
        if ((await streamsWithEvents(eventStorePool, [streamId])).size > 0)
          throw new SimulationExistsError(options.workload.seed, streamId);
      }
      const reference = referenceSeedAppends(centreReferenceDocument());
      const existing = await streamsWithEvents(
        eventStorePool,
        reference.map((append) => append.streamId),
      );
      // Entities the store defines already are kept as they are: the tickets only need their names known.
      const newReference = reference.filter((append) => !existing.has(append.streamId));
      tally.referenceStreams = newReference.length;
      tally.referenceStreamsKept = existing.size;
      const bar = new ProgressBar(process.stderr, `simulate${options.dryRun ? ' (dry run)' : ''}`, options.workload.tickets, {
        unit: 'tickets',
      });
      const appends = function* (): Generator<BulkAppend> {
        yield* newReference;
        yield* countedAppends(options.workload, tally, signal, (tickets) => bar.update(tickets));
      };
      await writeInProcess(eventStorePool, appends(), { dryRun: options.dryRun });
      bar.finish(tally.tickets);
    }),
  );
  process.stdout.write(`${summary(options, tally, (performance.now() - started) / 1000)}\n`);
  if (tally.interrupted) process.exitCode = 130;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function workloadLine(workload: SeedWorkload): string {
  return (
    `seed ${workload.seed}: ${count(workload.tickets)} tickets opened over ${workload.days} days from ` +
    `${workload.start.toISOString().slice(0, 10)}`
  );
}

export function summary(options: SimulateArgs, tally: SimulateTally, seconds: number): string {
  const head = tally.interrupted
    ? 'simulate interrupted (the tickets so far are stored, the last one perhaps in part; simulate again into a fresh store)'
    : options.dryRun
      ? 'simulate dry run (nothing written)'
      : 'simulate done';
  const mix = Object.entries(tally.eventTypes)
    .sort(([, a], [, b]) => b - a)
    .map(([type, n]) => `  ${type}: ${count(n)}`)
    .join('\n');
  return [
    `${head} in ${formatDuration(seconds)}`,
    workloadLine(options.workload),
    `tickets: ${count(tally.tickets)}; events ${options.dryRun ? 'decided' : 'written'}: ${count(tally.events)} ` +
      `(${count(Math.round(tally.events / Math.max(seconds, 0.001)))}/s)`,
    `reference entities registered: ${count(tally.referenceStreams)} (${count(tally.referenceStreamsKept)} already defined, kept)`,
    `events by type:\n${mix || '  none'}`,
  ].join('\n');
}

export function apiSummary(options: SimulateArgs, tally: StreamTally, seconds: number): string {
  const refused = Object.entries(tally.refused).map(([reason, n]) => `  ${reason}: ${count(n)}`);
  const failed = Object.entries(tally.failed).map(([reason, n]) => `  ${reason}: ${count(n)}`);
  return [
    `simulate ${tally.interrupted ? 'interrupted' : 'done'}: commands sent to ${options.api?.url ?? ''} in ${formatDuration(seconds)}`,
    workloadLine(options.workload),
    `commands: ${count(tally.sent)} sent (${(tally.sent / Math.max(seconds, 0.001)).toFixed(1)}/s, asked ${options.api?.rate ?? 0}/s), ` +
      `${count(tally.answered)} answered with success, ${count(tally.skipped)} not sent (an earlier command of the ticket failed)`,
    `refused, by status and code:\n${refused.join('\n') || '  none'}`,
    `without an answer:\n${failed.join('\n') || '  none'}`,
  ].join('\n');
}
