import type pg from 'pg';
import type { EventStore, PerStreamReads, RecordedEvent, StreamsPage } from '#event-store';
import { backOff, type Backoff } from '../backoff.js';
import { storeCheckpoint } from '../checkpoint.js';
import { errorDetails, type ProjectionLog } from '../log.js';
import { physicalTableName, PROJECTIONS_SCHEMA } from '../names.js';
import { projectionContext, type PerStreamPath, type Projection, type ProjectionContext } from '../projection.js';
import { LOAD_CHECKPOINT, type CheckpointRow } from '../schema/checkpoints.js';
import {
  BEGIN_PER_STREAM_BUILD,
  END_PER_STREAM_BUILD,
  LOAD_PER_STREAM_BUILD,
  MOVE_PER_STREAM_BUILD,
  type PerStreamBuildRow,
} from '../schema/per-stream-builds.js';
import { inTransaction } from '../transaction.js';

/** One version taking part in a per-stream phase; its runner lock is held by the caller. */
export interface PerStreamMember {
  projection: Projection;
  version: number;
  /** After each committed chunk: the events of the member's types it applied, and the phase's head. */
  committed?: (events: number, head: string) => void;
}

export interface PerStreamPhaseOptions {
  /** Soft limit on the events of a chunk (whole streams): the phase's memory bound. */
  chunkEvents: number;
  /** Begin the phase for a version that has applied nothing; without it only a phase begun before is continued. */
  begin: boolean;
  signal: AbortSignal;
  log: ProjectionLog;
  retry: Backoff;
}

/**
 * `done`: no member has a phase under way (each one's checkpoint is at its head, or it had none to run);
 * `stopped`: the signal; `moved`: another process changed a member.
 */
export type PerStreamEnd = 'done' | 'stopped' | 'moved';

type Capable = Projection & { perStream: PerStreamPath };

/** The store's per-stream reads, or undefined when it has none (EventStoreDB): the bulk path then. */
export function perStreamReads(store: EventStore): PerStreamReads | undefined {
  const { readStreams, readOutside } = store;
  if (!readStreams || !readOutside) return undefined;
  return { readStreams: readStreams.bind(store), readOutside: readOutside.bind(store) };
}

/** Whether a version has a per-stream phase under way. */
export async function perStreamBuildPending(pool: pg.Pool, name: string, version: number): Promise<boolean> {
  const { rows } = await pool.query<PerStreamBuildRow>({ ...LOAD_PER_STREAM_BUILD, values: [name, version] });
  return rows.length > 0;
}

/** A member's row or checkpoint changed under the phase (another runner, a retired version): it ends, the runner reloads. */
class PhaseMoved extends Error {
  constructor(readonly member: string) {
    super(`the per-stream build of ${member} moved under this phase`);
    this.name = 'PhaseMoved';
  }
}

interface Joined {
  member: PerStreamMember & { projection: Capable };
  types: Set<string>;
  row: PerStreamBuildRow;
}

/**
 * The per-stream phase of a rebuild (projection.ts `PerStreamPath`): for each member whose
 * checkpoint is still null, a head is fixed (one for all members begun together) and stored in
 * projections.per_stream_builds; then, up to the head, the events of the other streams go
 * through `handle` in all-stream order, and the prefix's streams, whole, through
 * `handleStreams`, chunk after chunk. One read feeds every member: each chunk is ONE
 * transaction for all members, moving each member's row by compare-and-set, so members begun
 * together stay together after a crash. The last chunk's transaction also sets each member's
 * checkpoint to the head and deletes its row: from there the runner follows the log as usual.
 *
 * Failures are logged, backed off and retried from the stored rows; nothing is skipped.
 */
export async function runPerStreamPhase(
  deps: { pool: pg.Pool; store: EventStore },
  members: PerStreamMember[],
  options: PerStreamPhaseOptions,
): Promise<PerStreamEnd> {
  const reads = perStreamReads(deps.store);
  if (!reads) return 'done';
  let failures = 0;
  while (!options.signal.aborted) {
    try {
      // Beginning is idempotent: only a version with a null checkpoint and no row begins.
      const joined = await join(deps, members, options.begin);
      if (joined.length === 0) return 'done';
      // Members begun together share a row state; others (one resumed apart) run as groups of their own.
      const groups = new Map<string, Joined[]>();
      for (const one of joined) {
        const key = JSON.stringify([
          one.row.head,
          one.row.stream_prefix,
          one.row.outside_after,
          one.row.outside_done,
          one.row.last_stream_id,
        ]);
        groups.set(key, [...(groups.get(key) ?? []), one]);
      }
      for (const group of groups.values()) {
        const end = await runGroup(deps.pool, reads, group, options);
        if (end === 'stopped') return end;
      }
      return 'done';
    } catch (error) {
      if (error instanceof PhaseMoved) {
        options.log('warn', 'a per-stream build moved under its runner (another runner, or the version was retired); reloading', {
          projection: error.member,
        });
        return 'moved';
      }
      options.log('warn', 'a per-stream rebuild chunk failed and was rolled back; retrying from the stored state', errorDetails(error));
      await backOff(failures++, options.retry, options.signal);
    }
  }
  return 'stopped';
}

/** The members with a phase under way, beginning it (one head for all) where asked and the checkpoint is still null. */
async function join(deps: { pool: pg.Pool; store: EventStore }, members: PerStreamMember[], begin: boolean): Promise<Joined[]> {
  const joined: Joined[] = [];
  let head: string | undefined;
  for (const member of members) {
    const { projection, version } = member;
    if (!projection.perStream) continue;
    const capable = { ...member, projection: { ...projection, perStream: projection.perStream } };
    const load = async () =>
      (await deps.pool.query<PerStreamBuildRow>({ ...LOAD_PER_STREAM_BUILD, values: [projection.name, version] })).rows.at(0);
    let row = await load();
    if (!row && begin) {
      const checkpoint = (await deps.pool.query<CheckpointRow>({ ...LOAD_CHECKPOINT, values: [projection.name, version] })).rows.at(0);
      if (checkpoint?.position !== null || checkpoint.state === 'retired') continue;
      head ??= await deps.store.headPosition();
      // An empty store: nothing to fold, the runner simply follows the log.
      if (head === undefined) continue;
      const streamPrefix = projection.perStream.streamPrefix;
      // The secondary indexes go with the phase's beginning and come back in its last chunk (deferredIndexes).
      await inTransaction(deps.pool, async (client) => {
        const begun = await client.query({ ...BEGIN_PER_STREAM_BUILD, values: [projection.name, version, head, streamPrefix] });
        if (begun.rowCount === 1) for (const index of deferredIndexes(projection, version)) await client.query(index.drop);
      });
      row = await load();
    }
    if (row) joined.push({ member: capable, types: new Set(projection.eventTypes), row });
  }
  return joined;
}

async function runGroup(
  pool: pg.Pool,
  reads: PerStreamReads,
  group: Joined[],
  options: PerStreamPhaseOptions,
): Promise<'done' | 'stopped'> {
  const { head, stream_prefix: prefix } = group[0].row;
  let outsideAfter = group[0].row.outside_after;
  let outsideDone = group[0].row.outside_done;
  let lastStreamId = group[0].row.last_stream_id;
  const eventTypes = [...new Set(group.flatMap((one) => one.member.projection.eventTypes))];
  const chunk = options.chunkEvents;

  /** One chunk for every member in one transaction: each row's compare-and-set first (it locks the row), then the handler. */
  const commit = async (
    next: { outsideAfter: string | null; outsideDone: boolean; lastStreamId: string | null; end: boolean },
    count: (one: Joined) => number,
    apply: (one: Joined, context: ProjectionContext) => Promise<void>,
  ): Promise<void> => {
    const counts = group.map(count);
    await inTransaction(pool, async (client) => {
      for (const [index, one] of group.entries()) {
        const { projection, version } = one.member;
        const moved = await client.query({
          ...MOVE_PER_STREAM_BUILD,
          values: [
            projection.name,
            version,
            outsideAfter,
            lastStreamId,
            next.outsideAfter,
            next.lastStreamId,
            next.outsideDone,
            counts[index],
          ],
        });
        if (moved.rowCount !== 1) throw new PhaseMoved(projection.name);
        await apply(one, projectionContext(projection, version, client));
        if (!next.end) continue;
        for (const index of deferredIndexes(projection, version)) await client.query(index.create);
        await client.query({ ...END_PER_STREAM_BUILD, values: [projection.name, version] });
        const outcome = await storeCheckpoint(client, {
          name: projection.name,
          version,
          expected: null,
          next: head,
          eventsSeen: 0,
          eventsApplied: 0,
          lastRecordedAt: null,
        });
        if (outcome.kind !== 'stored') throw new PhaseMoved(projection.name);
      }
    });
    outsideAfter = next.outsideAfter;
    outsideDone = next.outsideDone;
    lastStreamId = next.lastStreamId;
    group.forEach((one, index) => one.member.committed?.(counts[index], head));
  };

  while (!outsideDone) {
    if (options.signal.aborted) return 'stopped';
    const events = await reads.readOutside({
      streamPrefix: prefix,
      after: outsideAfter ?? undefined,
      upTo: head,
      eventTypes,
      maxCount: chunk,
    });
    const own = (one: Joined) => events.filter((event) => one.types.has(event.type));
    await commit(
      { outsideAfter: events.at(-1)?.position ?? outsideAfter, outsideDone: events.length < chunk, lastStreamId, end: false },
      (one) => own(one).length,
      async (one, context) => {
        const batch = own(one);
        if (batch.length > 0) await one.member.projection.handle(batch, context);
      },
    );
  }

  const read = (after: string | null): Promise<StreamsPage> =>
    reads.readStreams({ streamPrefix: prefix, afterStreamId: after ?? undefined, upTo: head, maxEvents: chunk });
  let ahead: Promise<StreamsPage> | undefined;
  for (;;) {
    if (options.signal.aborted) return 'stopped';
    const page = await (ahead ?? read(lastStreamId));
    ahead = undefined;
    // Reads the next chunk while this one is folded and written; an unused read-ahead's failure is dropped.
    if (!page.isEnd && page.lastStreamId !== undefined) {
      ahead = read(page.lastStreamId);
      ahead.catch(() => undefined);
    }
    await commit(
      { outsideAfter, outsideDone: true, lastStreamId: page.lastStreamId ?? lastStreamId, end: page.isEnd },
      (one) => countOwn(page.streams, one.types),
      async (one, context) => {
        if (page.streams.length > 0) await one.member.projection.perStream.handleStreams(page.streams, context);
      },
    );
    if (page.isEnd) return 'done';
  }
}

/**
 * A version's secondary indexes (each table's `CREATE INDEX` statements), which a per-stream phase
 * drops when it begins and builds again in its last chunk's transaction: building an index once over
 * the written rows costs a fraction of maintaining it row by row through millions of inserts, and
 * nothing reads a version before its phase ends (the runner promotes it only once caught up). The
 * primary keys stay: they are what the handlers' upserts and the phase's uniqueness rest on.
 */
export function deferredIndexes(projection: Projection, version: number): Array<{ drop: string; create: string }> {
  return projection.tables.flatMap((table) =>
    table.create(physicalTableName(table.name, version)).flatMap((statement) => {
      const index = /^CREATE INDEX ([a-z0-9_]+) ON /.exec(statement)?.[1];
      if (index === undefined) return [];
      return [
        {
          drop: `DROP INDEX IF EXISTS ${PROJECTIONS_SCHEMA}.${index}`,
          create: statement.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '),
        },
      ];
    }),
  );
}

function countOwn(streams: RecordedEvent[][], types: Set<string>): number {
  let count = 0;
  for (const stream of streams) for (const event of stream) if (types.has(event.type)) count++;
  return count;
}
