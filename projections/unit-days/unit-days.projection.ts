import type { Projection } from '#read-model/projections/projection.js';
import { TICKET_EVENT_TYPES, TICKET_STREAM_PREFIX } from '#ticketing';
import { applyUnitDayEvents } from './apply-unit-day-events.js';
import { applyUnitDayStreams } from './unit-day-streams.js';
import { unitDaysTables, type UnitDaysTable } from './tables.js';

export interface UnitDaysProjectionOptions {
  /** IANA zone whose local days the series is cut in (REPORTING_TIME_ZONE). */
  timeZone: string;
  name?: string;
  version?: number;
  /** Prefixes every table name, so several instances can live in one database (specs). */
  tablePrefix?: string;
}

/**
 * The daily series per unit (README.md beside this file): per unit and local day, the tickets
 * opened and closed, and the backlog at the end of the day with its over-target part and aging
 * buckets, stored as changes so a ticket touches a handful of rows. Independent of the tickets
 * projection (it keeps its own per-ticket state), so either may run ahead of the other.
 *
 * `timeZone` fixes the zone of a version when its tables are created (unit_days_zone); a
 * version keeps that zone even if a process with another configuration continues it.
 */
export function createUnitDaysProjection(options: UnitDaysProjectionOptions): Projection {
  const prefix = options.tablePrefix ?? '';
  const apply: Projection['handle'] = async (batch, context) => {
    const table: UnitDaysTable = (name) => context.table(`${prefix}${name}`);
    await applyUnitDayEvents(context.client, table, batch);
  };
  return {
    name: options.name ?? 'unit_days',
    // 2: over target follows the resolution clock, which a hold stops (docs/kpis.md "Backlog").
    // 3: unit_day_tickets.history as json (tables.ts), cheaper to store in a rebuild.
    version: options.version ?? 3,
    // Every ticket event: the fold needs each stream whole, in revision order.
    eventTypes: [...TICKET_EVENT_TYPES],
    tables: unitDaysTables(options.timeZone, prefix),
    handle: apply,
    rebuild: { batchSize: 10_000, handle: apply },
    perStream: {
      streamPrefix: TICKET_STREAM_PREFIX,
      handleStreams: async (streams, context) => {
        const table: UnitDaysTable = (name) => context.table(`${prefix}${name}`);
        await applyUnitDayStreams(context.client, table, streams);
      },
    },
  };
}
