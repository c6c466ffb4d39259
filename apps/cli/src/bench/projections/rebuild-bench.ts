import type pg from 'pg';
import type { EventStore } from '#event-store';
import {
  dropRetiredVersions,
  newestDefinitions,
  physicalTableName,
  planProjection,
  ProjectionRunner,
  rebuildProjections,
  type Projection,
  type ProjectionLog,
} from '#read-model/projections/index.js';
import { countVisibleEvents } from '../../rebuild/count-events.js';
import { backendsCpu, cpuDelta, serverCpu } from '../shared/process-cpu.js';
import { ProgressBar } from '../../rebuild/progress-bar.js';

export interface RebuildTiming {
  name: string;
  version: number;
  /** events of the projection's types, visible when the rebuild began */
  events: number;
  eventsApplied: number;
  seconds: number;
  /** bytes of the version's tables and indexes after the rebuild */
  bytes: number;
}

/** The newest definition of every registered projection, in registry order. */
export function newestProjections(registry: readonly Projection[]): Projection[] {
  return [...newestDefinitions(registry).values()];
}

export interface RebuildAllTiming {
  timings: RebuildTiming[];
  /** wall time of the whole rebuild (the per-stream phase is shared, so the projections' times overlap) */
  seconds: number;
  /** the bench process's peak resident set size so far (process.resourceUsage().maxRSS), bytes */
  peakRssBytes: number;
  /**
   * CPU of the rebuild, ms: this process (reading, folding, building rows), the database's client backends, and the
   * whole server (autovacuum, checkpointer, WAL writer and ended processes too); null when not sampled
   */
  cpu: { processMs: number; postgresMs: number | null; serverMs: number | null };
}

/**
 * (a): every registered projection rebuilt from zero, the way `cli rebuild` does it
 * (`rebuildProjections`: a fresh version of each beside the live one, those with a per-stream
 * path built together from one per-stream read, then each following the log, the views
 * switched at the end). The replaced versions are dropped afterwards, so repeated runs on a
 * kept database do not pile up copies of the read models.
 */
export async function rebuildAll(
  deps: { pool: pg.Pool; store: EventStore },
  registry: readonly Projection[],
  log: ProjectionLog,
): Promise<RebuildAllTiming> {
  const projections = newestProjections(registry);
  const counts = new Map<string, number>();
  for (const projection of projections) counts.set(projection.name, await countVisibleEvents(deps.pool, projection.eventTypes));
  const bar = new ProgressBar(
    process.stderr,
    `(a) rebuild ${projections.map((projection) => projection.name).join(', ')}`,
    [...counts.values()].reduce((n, count) => n + count, 0),
  );
  const applied = new Map<string, number>();
  const sum = (): number => [...applied.values()].reduce((n, count) => n + count, 0);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const backendsAtStart = await backendsCpu(deps.pool);
  const serverAtStart = await serverCpu(deps.pool);
  const summaries = await rebuildProjections(deps, projections, {
    log,
    onProgress: (progress) => {
      applied.set(progress.name, progress.eventsApplied);
      bar.update(sum());
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const processCpu = process.cpuUsage(cpuAtStart);
  const backendsAtEnd = await backendsCpu(deps.pool);
  const serverAtEnd = await serverCpu(deps.pool);
  const cpu = {
    serverMs: serverAtStart === null || serverAtEnd === null ? null : serverAtEnd.totalMs - serverAtStart.totalMs,
    processMs: (processCpu.user + processCpu.system) / 1000,
    postgresMs: backendsAtStart === null || backendsAtEnd === null ? null : cpuDelta(backendsAtStart, backendsAtEnd),
  };
  bar.finish(sum());
  const timings: RebuildTiming[] = [];
  for (const summary of summaries) {
    if (summary.end !== 'caught_up') throw new Error(`the rebuild of ${summary.name} ended ${summary.end}, not caught up`);
    await dropRetiredVersions(deps.pool, summary.name);
    timings.push({
      name: summary.name,
      version: summary.version,
      events: counts.get(summary.name) ?? 0,
      eventsApplied: summary.eventsApplied,
      seconds: summary.seconds,
      bytes: await tableBytes(deps.pool, summary.name, summary.version),
    });
  }
  return { timings, seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024, cpu };
}

/**
 * For (b) and (c) without (a): each projection's live version caught up with the store (built
 * from zero if it has none yet), as a projector would leave it, so the API starts on read
 * models that are current.
 */
export async function catchUpAll(
  deps: { pool: pg.Pool; store: EventStore },
  registry: readonly Projection[],
  log: ProjectionLog,
): Promise<void> {
  for (const newest of newestProjections(registry)) {
    const definitions = registry.filter((projection) => projection.name === newest.name);
    for (const plan of await planProjection(deps.pool, definitions, log)) {
      const bar = new ProgressBar(process.stderr, `catch up ${plan.projection.name} v${plan.version}`, undefined);
      let applied = 0;
      const end = await new ProjectionRunner(deps, plan.projection, plan.version, {
        log,
        untilCaughtUp: true,
        onProgress: (progress) => {
          applied = progress.eventsApplied;
          if (applied > 0) bar.update(applied);
        },
      }).start();
      if (bar.hasDrawn) bar.finish(applied);
      if (end !== 'caught_up') throw new Error(`catching up ${plan.projection.name} v${plan.version} ended ${end}`);
    }
    await dropRetiredVersions(deps.pool, newest.name);
  }
}

async function tableBytes(pool: pg.Pool, name: string, version: number): Promise<number> {
  const { rows } = await pool.query<{ tables: string[] }>(
    'SELECT c.tables FROM projections.checkpoints c WHERE c.name = $1 AND c.version = $2',
    [name, version],
  );
  const tables = (rows[0]?.tables ?? []).map((table) => physicalTableName(table, version));
  if (tables.length === 0) return 0;
  const { rows: sized } = await pool.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(to_regclass(t))), 0)::bigint AS bytes FROM unnest($1::text[]) AS t`,
    [tables],
  );
  return Number(sized[0].bytes);
}
