import type { Projection } from '#read-model/projections/projection.js';
import { REFERENCE_EVENT_TYPES, TICKET_EVENT_TYPES } from '#ticketing';
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
  };
}
