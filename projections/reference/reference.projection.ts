import type { Projection } from '#read-model/projections/projection.js';
import { REFERENCE_EVENT_TYPES, TICKET_EVENT_TYPES, TICKET_STREAM_PREFIX } from '#ticketing';
import { applyReferenceEvents, type ReferenceTable } from './apply-reference-events.js';
import { referenceTables } from './tables.js';

export interface ReferenceProjectionOptions {
  name?: string;
  /** Prefixes every table name, so several instances can live in one database (specs). */
  tablePrefix?: string;
}

/**
 * Reference data for analysts (issue 10): the entities in force and every calendar and policy
 * version (tables.ts), from the reference events; and the names ticket events used
 * (ref_seen_names), from the ticket events, which is how open mode lists what it accepted.
 *
 * A rebuild takes part in the shared per-stream phase (runner/per-stream-phase.ts) instead of
 * reading the whole log again on its own: the reference events come first, in log order,
 * through `handle` (they live outside the ticket streams), then the ticket streams, whole. The
 * names of ticket events add up the same in any order and batching (applyReferenceEvents), so
 * a chunk of streams is applied as one batch.
 */
export function createReferenceProjection(options: ReferenceProjectionOptions = {}): Projection {
  const prefix = options.tablePrefix ?? '';
  const apply: Projection['handle'] = async (batch, context) => {
    const table: ReferenceTable = (name) => context.table(`${prefix}${name}`);
    await applyReferenceEvents(context.client, table, batch);
  };
  return {
    name: options.name ?? 'reference',
    version: 1,
    eventTypes: [...REFERENCE_EVENT_TYPES, ...TICKET_EVENT_TYPES],
    tables: referenceTables(prefix),
    handle: apply,
    rebuild: { batchSize: 10_000, handle: apply },
    perStream: {
      streamPrefix: TICKET_STREAM_PREFIX,
      handleStreams: async (streams, context) => {
        await apply(streams.flat(), context);
      },
    },
  };
}
