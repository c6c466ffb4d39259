import {
  dropRetiredVersions,
  rebuildProjections,
  UnknownProjectionError,
  type Projection,
  type RebuildSummary,
} from '#read-model/projections/index.js';
import { createRegistry } from '#projections/registry.js';
import { errorFields, loadConfig, loadDatabaseConfig } from '#platform';
import { withDatabase } from '../cli-database.js';
import { runLongCommand } from '../long-command.js';
import { UsageError } from '../usage.js';
import { countVisibleEvents } from './count-events.js';
import { parseOptions } from './parse-options.js';
import { formatDuration, ProgressBar } from './progress-bar.js';

export const REBUILD_USAGE = 'rebuild [name] [--batch-size N] [--drop-retired]';

interface RebuildArgs {
  names: string[];
  batchSize: number | undefined;
  dropRetired: boolean;
}

function newest(registry: readonly Projection[]): Map<string, Projection> {
  const byName = new Map<string, Projection>();
  for (const projection of registry) {
    const known = byName.get(projection.name);
    if (!known || known.version < projection.version) byName.set(projection.name, projection);
  }
  return byName;
}

export function parseRebuildArgs(args: string[], registry: readonly Projection[]): RebuildArgs {
  const parsed = parseOptions(
    { args, allowPositionals: true, strict: true, options: { 'batch-size': { type: 'string' }, 'drop-retired': { type: 'boolean' } } },
    REBUILD_USAGE,
  );
  if (parsed.positionals.length > 1) throw new UsageError(`rebuild takes at most one projection name; usage: ${REBUILD_USAGE}`);
  const raw = parsed.values['batch-size'];
  const batchSize = raw === undefined ? undefined : /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 1_000_000)) {
    throw new UsageError(`--batch-size must be a whole number of events from 1 to 1,000,000, got "${raw}"`);
  }
  const known = [...newest(registry).keys()];
  const names = parsed.positionals.length === 0 ? known : parsed.positionals;
  for (const name of names) if (!known.includes(name)) throw new UsageError(new UnknownProjectionError(name, known).message);
  return { names, batchSize, dropRetired: parsed.values['drop-retired'] === true };
}

/** PROJECTIONS_PER_STREAM_CHUNK_EVENTS, as the projector reads it: events per chunk of the per-stream phase. */
function chunkEvents(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new UsageError(`PROJECTIONS_PER_STREAM_CHUNK_EVENTS must be a positive integer, got "${raw}"`);
  return value;
}

function summaryLine(summary: RebuildSummary, tables: string[]): string {
  const rate = summary.seconds > 0 ? Math.round(summary.eventsApplied / summary.seconds) : 0;
  const built = summary.resumed ? 'continued the interrupted build of' : 'built';
  const head = `${summary.name}: ${built} version ${summary.version} (definition ${summary.definitionVersion})`;
  const events = summary.eventsApplied.toLocaleString('en-US');
  const figures = `${events} events in ${formatDuration(summary.seconds)} (${rate.toLocaleString('en-US')} events/s)`;
  if (summary.end === 'caught_up') return `${head}: ${figures}; the analytics views now read ${tables.join(', ')}.`;
  if (summary.end === 'stopped')
    return (
      `${head}: interrupted after ${figures}; a running API or projector continues the build from its checkpoint ` +
      'and switches the views when it has caught up; with neither running, run the same command again.'
    );
  return `${head}: ended (${summary.end}) after ${figures}; another process replaced or removed this version meanwhile.`;
}

/**
 * `rebuild [name] [--batch-size N] [--drop-retired]`: each named projection (default: all
 * registered) is built from zero into a fresh version beside the live one, and the views
 * switch to it once it has caught up. Those with a per-stream path are built together from one
 * per-stream read of the event store (when it has one), then each follows the log. Ctrl-C stops after the batch in flight; the next
 * rebuild (or a running projector) continues it. The replaced version's tables stay unless
 * --drop-retired is given.
 */
export async function rebuildCommand(args: string[]): Promise<void> {
  // The API's configuration, so a rebuild builds what the API and the projector run (REPORTING_TIME_ZONE).
  const projections = createRegistry({ reportingTimeZone: loadConfig(process.env).reportingTimeZone });
  const { names, batchSize, dropRetired } = parseRebuildArgs(args, projections);
  const registry = newest(projections);
  // The count reads PostgreSQL's events table, which holds nothing when the events are in
  // EventStoreDB (no count by event type there short of reading $all): the total stays unknown
  // and the progress shows counts and rate without a percentage or an ETA.
  const countable = loadDatabaseConfig(process.env).eventStore.kind === 'postgres';
  const perStreamChunkEvents = chunkEvents(process.env.PROJECTIONS_PER_STREAM_CHUNK_EVENTS);
  await runLongCommand(({ logger, signal }) =>
    withDatabase(async ({ eventStorePool, eventStore }) => {
      const chosen = names.map((name) => {
        const projection = registry.get(name);
        if (!projection) throw new UsageError(`no projection ${name}`);
        return projection;
      });
      const counts = new Map<string, number>();
      try {
        if (countable)
          for (const projection of chosen) counts.set(projection.name, await countVisibleEvents(eventStorePool, projection.eventTypes));
      } catch (error) {
        counts.clear();
        // Only the percentage and the ETA depend on it.
        logger.write(
          'warn',
          'could not count the events to rebuild; progress shows no percentage',
          error instanceof Error ? errorFields(error) : { error: String(error) },
        );
      }
      const total = counts.size === chosen.length ? [...counts.values()].reduce((n, count) => n + count, 0) : undefined;
      // One bar for all: the projections with a per-stream path are built together from one read.
      const bar = new ProgressBar(process.stderr, names.join(', '), total);
      const applied = new Map<string, number>();
      const sum = (): number => [...applied.values()].reduce((n, count) => n + count, 0);
      const summaries = await rebuildProjections({ pool: eventStorePool, store: eventStore }, chosen, {
        ...(batchSize === undefined ? {} : { batchSize, bulkBatchSize: batchSize }),
        ...(perStreamChunkEvents === undefined ? {} : { perStreamChunkEvents }),
        signal: signal,
        log: (logLevel, msg, fields) => logger.write(logLevel, msg, fields),
        onStart: ({ name, version, resumed }) => {
          const events = counts.get(name);
          process.stderr.write(
            `${name}: ${resumed ? 'continuing the build of' : 'building'} version ` +
              `${version}${events === undefined ? '' : ` from ${events.toLocaleString('en-US')} events`}\n`,
          );
        },
        onProgress: (progress) => {
          applied.set(progress.name, progress.eventsApplied);
          bar.update(sum());
        },
      });
      bar.finish(sum());
      for (const summary of summaries) {
        const projection = registry.get(summary.name);
        const tables = (projection?.tables ?? []).map((table) => `analytics.${table.name}`);
        process.stdout.write(`${summaryLine(summary, tables)}\n`);
        if (summary.end === 'stopped') process.exitCode = 130;
      }
      if (dropRetired && !signal.aborted) {
        for (const name of names) {
          for (const dropped of await dropRetiredVersions(eventStorePool, name)) {
            process.stdout.write(`${dropped.name}: dropped retired version ${dropped.version} (${dropped.tables.join(', ')})\n`);
          }
        }
      }
    }),
  );
}
