import type pg from 'pg';
import type { EventStore } from '#event-store';
import { listCheckpoints } from './catalog.js';
import { physicalTableName } from './names.js';
import type { VersionState } from './schema/checkpoints.js';

/** One version of one projection, as `GET /projections` and `cli projections` show it. */
export interface ProjectionVersionStatus {
  name: string;
  version: number;
  definitionVersion: number;
  state: VersionState;
  position: string | null;
  eventsSeen: number;
  eventsApplied: number;
  /**
   * Events of the projection's types after its checkpoint, counted up to `lagScanLimit`
   * (then `lagEventsExact` is false and this is a lower bound); null for a retired version.
   */
  lagEvents: number | null;
  lagEventsExact: boolean;
  /** Now minus when the oldest unapplied event was recorded; 0 when caught up; null for a retired version or when unknown. */
  lagSeconds: number | null;
  lastEventRecordedAt: Date | null;
  updatedAt: Date;
  createdAt: Date;
  liveSince: Date | null;
  retiredAt: Date | null;
  /** The physical tables, e.g. projections.ticket_facts_v3. */
  tables: string[];
}

export interface StatusOptions {
  /** Most events read to count the lag of one version; default 10,000. */
  lagScanLimit?: number;
}

/**
 * The status of every projection version. The lag is measured through the event-store port,
 * so it holds for any adapter: a version whose checkpoint has reached the store's head has no
 * lag without reading anything; otherwise one bounded read after the checkpoint (filtered by
 * the version's event types, at most `lagScanLimit` events) gives both the count and the
 * recorded_at of the oldest unapplied event. A version far behind thus costs one read of
 * 10,000 events (some tens of milliseconds), one that keeps up costs nothing.
 */
export async function readProjectionStatus(
  pool: pg.Pool,
  store: EventStore,
  now: Date,
  options: StatusOptions = {},
): Promise<ProjectionVersionStatus[]> {
  const lagScanLimit = options.lagScanLimit ?? 10_000;
  const rows = await listCheckpoints(pool);
  const head = rows.some((row) => row.state !== 'retired') ? await store.headPosition() : undefined;
  return Promise.all(
    rows.map(async (row) => {
      let lagEvents: number | null = null;
      let lagEventsExact = true;
      let lagSeconds: number | null = null;
      if (row.state !== 'retired') {
        if (head === undefined || (row.position !== null && store.comparePositions(row.position, head) >= 0)) {
          lagEvents = 0;
          lagSeconds = 0;
        } else {
          const page = await store.readAll({
            after: row.position ?? undefined,
            filter: { eventTypes: row.event_types },
            maxCount: lagScanLimit,
          });
          lagEvents = page.events.length;
          lagEventsExact = page.isEnd;
          const oldest = page.events[0];
          if (oldest) lagSeconds = Math.max(0, (now.getTime() - oldest.recordedAt.getTime()) / 1000);
          else if (page.isEnd) lagSeconds = 0;
        }
      }
      return {
        name: row.name,
        version: row.version,
        definitionVersion: row.definition_version,
        state: row.state,
        position: row.position,
        eventsSeen: Number(row.events_seen),
        eventsApplied: Number(row.events_applied),
        lagEvents,
        lagEventsExact,
        lagSeconds,
        lastEventRecordedAt: row.last_event_recorded_at,
        updatedAt: row.updated_at,
        createdAt: row.created_at,
        liveSince: row.live_since,
        retiredAt: row.retired_at,
        tables: row.tables.map((table) => physicalTableName(table, row.version)),
      };
    }),
  );
}
