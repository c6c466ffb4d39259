import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { EventStore, EventToAppend, RecordedEvent } from '#event-store';
import type { ProjectionLog } from '../log.js';

/** Event types the specs append: the sample projection reads A, B and C; X is for nobody. */
export const SPEC_TYPES = ['A', 'B', 'C'];
export const ALL_SPEC_TYPES = [...SPEC_TYPES, 'X'];

export { seededRandom } from '#workload/ticket-load.js';

export interface SeedOptions {
  streams: number;
  eventsPerStream: number;
  /** concurrent appenders, each owning every writers-th stream */
  writers?: number;
  /** types cycle through this list (default ALL_SPEC_TYPES) */
  types?: string[];
  /** events per append call */
  perAppend?: number;
  streamPrefix?: string;
}

function event(type: string, n: number): EventToAppend {
  return { eventId: randomUUID(), type, data: { n }, metadata: {} };
}

/** Appends streams × eventsPerStream events with concurrent writers, so transactions commit out of order. */
export async function seedEvents(store: EventStore, options: SeedOptions): Promise<void> {
  const writers = options.writers ?? 4;
  const types = options.types ?? ALL_SPEC_TYPES;
  const perAppend = options.perAppend ?? 1;
  const prefix = options.streamPrefix ?? `s-${randomUUID().slice(0, 8)}`;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let stream = writer; stream < options.streams; stream += writers) {
        const streamId = `${prefix}-${stream}`;
        for (let revision = 0; revision < options.eventsPerStream; revision += perAppend) {
          const count = Math.min(perAppend, options.eventsPerStream - revision);
          const events = Array.from({ length: count }, (_, i) => event(types[(stream + revision + i) % types.length], revision + i));
          await store.append(streamId, events, { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
        }
      }
    }),
  );
}

/** Every visible event in all-stream order. */
export async function readEverything(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 5000 });
    events.push(...page.events);
    after = page.nextAfter ?? after;
    if (page.isEnd) return events;
  }
}

/** What the sample projection must hold for these events: a plain fold, no engine involved. */
export function expectedEventCounts(events: RecordedEvent[], types: string[] = SPEC_TYPES): { types: unknown[]; streams: unknown[] } {
  const byType = new Map<string, { event_type: string; events: string; last_recorded_at: string }>();
  const byStream = new Map<
    string,
    { stream_id: string; events: string; last_revision: string; last_event_type: string; last_recorded_at: string }
  >();
  for (const e of events) {
    if (!types.includes(e.type)) continue;
    const t = byType.get(e.type);
    byType.set(e.type, { event_type: e.type, events: String(Number(t?.events ?? 0) + 1), last_recorded_at: e.recordedAt.toISOString() });
    const s = byStream.get(e.streamId);
    byStream.set(e.streamId, {
      stream_id: e.streamId,
      events: String(Number(s?.events ?? 0) + 1),
      last_revision: String(e.revision),
      last_event_type: e.type,
      last_recorded_at: e.recordedAt.toISOString(),
    });
  }
  const sorted = <T>(map: Map<string, T>): T[] => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  return { types: sorted(byType), streams: sorted(byStream) };
}

/** The sample projection's rows, in the same shape as `expectedEventCounts`. */
export async function eventCountsRows(
  pool: pg.Pool | pg.PoolClient,
  typeRelation: string,
  streamRelation: string,
): Promise<{ types: unknown[]; streams: unknown[] }> {
  const types = await pool.query(
    `SELECT event_type, events::text, to_char(last_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ` +
      `AS last_recorded_at FROM ${typeRelation} ORDER BY event_type COLLATE "C"`,
  );
  const streams = await pool.query(
    `SELECT stream_id, events::text, last_revision::text, last_event_type,
            to_char(last_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_recorded_at
       FROM ${streamRelation} ORDER BY stream_id COLLATE "C"`,
  );
  return { types: types.rows, streams: streams.rows };
}

/** Polls until `check` returns true, or fails after `timeoutMs` with `what`. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface LogLine {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** A ProjectionLog that keeps its lines for the spec to look at. */
export function recordingLog(): { log: ProjectionLog; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { lines, log: (level, msg, fields = {}) => lines.push({ level, msg, fields }) };
}
