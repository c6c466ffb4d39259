import type pg from 'pg';
import type { RecordedEvent } from '#event-store';
import { ProjectionDefinitionError } from './errors.js';
import { physicalTableName } from './names.js';

/**
 * A projection (DESIGN.md §5): a name, a version, the event types it needs, the tables it
 * writes and a batch handler. The engine owns everything else: reading the event store after
 * the checkpoint, the transaction, the checkpoint, the physical table names, the views.
 *
 * Physical tables live in schema `projections` as `<table>_v<n>`; analysts query the stable
 * views `analytics.<table>`, which always read the live version. Bumping `version` builds the
 * new tables beside the old ones, and the views switch once the new version has caught up.
 */
export interface Projection {
  /** Stable: it keys the checkpoints. Lower case letters, digits, `_` and `-`. */
  name: string;
  /** Of the definition: bump it whenever the tables or what the handler writes change. */
  version: number;
  /** Only these events are read; the checkpoint still moves past all others. */
  eventTypes: string[];
  tables: ProjectionTable[];
  /**
   * Applies a batch of events, in all-stream order, inside the transaction that also stores
   * the checkpoint: throw to roll back both. Must be deterministic: a batch of 1 event or of
   * 1,000, applied once or retried after a rollback, gives the same rows.
   */
  handle(batch: RecordedEvent[], context: ProjectionContext): Promise<void>;
  /**
   * An optional bulk path for catching up (a rebuild, or a backlog of at least one full
   * batch): larger batches, e.g. folding many events per ticket in memory and writing each row
   * once. Same transaction and checkpoint rules as `handle`, and it must leave the same rows.
   */
  rebuild?: BulkPath;
  /**
   * An optional per-stream path for a rebuild from zero (Marten's "optimized rebuild"): the
   * engine fixes a head position, applies the projection's events of other streams up to the
   * head through `handle` (in all-stream order), then hands over whole streams, each folded
   * once from its first event to the head, and finally follows the log from the head through
   * `handle` as usual. The live handler must therefore skip an event its stored state already
   * holds (revision at or below the stored one). Stores without a per-stream read fall back to
   * the bulk path.
   */
  perStream?: PerStreamPath;
}

export interface PerStreamPath {
  /** The streams folded whole: those whose id starts with this prefix, e.g. `ticket-`. */
  streamPrefix: string;
  /**
   * Applies a chunk of whole streams inside the transaction that also stores the per-stream
   * checkpoint. Each entry is one stream's events in revision order from revision 0, none after
   * the head, all types (filter as needed). These streams have no rows in this version yet.
   */
  handleStreams(streams: RecordedEvent[][], context: ProjectionContext): Promise<void>;
}

export interface BulkPath {
  /** Events per transaction on this path; default the runner's bulk batch size (10,000). */
  batchSize?: number;
  handle(batch: RecordedEvent[], context: ProjectionContext): Promise<void>;
}

export interface ProjectionTable {
  /** The view's name in schema `analytics`; also the stem of the physical table's name. */
  name: string;
  /**
   * The DDL that creates the physical table `physical` (schema-qualified, e.g.
   * `projections.ticket_facts_v3`): CREATE TABLE, a COMMENT ON the table and on every column
   * (the engine refuses a table without them), and its indexes. Leave index names out, or
   * derive them from `physical`, so versions do not collide.
   */
  create(physical: string): string[];
  /** The columns the view shows, in this order; default all of the table's. */
  viewColumns?: string[];
}

export interface ProjectionContext {
  /** The connection of the batch's transaction: write through it only. */
  client: pg.PoolClient;
  /** The schema-qualified physical name of one of the projection's tables in this version. */
  table(name: string): string;
  /** The version being written (the physical one: the suffix of the table names). */
  version: number;
}

const PROJECTION_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const TABLE_NAME = /^[a-z][a-z0-9_]*$/;
// PostgreSQL truncates identifiers to 63 bytes; room is kept for the `_v<n>` suffix.
const MAX_TABLE_NAME_LENGTH = 63 - '_v999999'.length;

/**
 * Checks a registry before anything runs: names, versions, event types, tables, and that no
 * two projections claim one table name (the views share one schema).
 */
export function validateRegistry(registry: readonly Projection[]): void {
  const tableOwners = new Map<string, string>();
  const versions = new Set<string>();
  for (const projection of registry) {
    const fail = (message: string): never => {
      throw new ProjectionDefinitionError(projection.name, message);
    };
    if (!PROJECTION_NAME.test(projection.name)) fail('the name must be lower case letters, digits, "_" or "-", starting with a letter');
    if (!Number.isSafeInteger(projection.version) || projection.version < 1)
      fail(`version must be a positive integer, not ${projection.version}`);
    const key = `${projection.name}@${projection.version}`;
    if (versions.has(key)) fail(`version ${projection.version} is registered twice`);
    versions.add(key);
    if (projection.eventTypes.length === 0) fail('it needs at least one event type');
    if (projection.tables.length === 0) fail('it needs at least one table');
    const own = new Set<string>();
    for (const table of projection.tables) {
      if (!TABLE_NAME.test(table.name) || table.name.length > MAX_TABLE_NAME_LENGTH) {
        fail(`table name "${table.name}" must be lower case letters, digits and "_", at most ${MAX_TABLE_NAME_LENGTH} characters`);
      }
      if (own.has(table.name)) fail(`table "${table.name}" is declared twice`);
      own.add(table.name);
      const owner = tableOwners.get(table.name);
      if (owner !== undefined && owner !== projection.name) fail(`table "${table.name}" is already the table of projection ${owner}`);
      tableOwners.set(table.name, projection.name);
      if (table.viewColumns?.length === 0) fail(`table "${table.name}": viewColumns, when given, must name at least one column`);
    }
    if (
      projection.rebuild?.batchSize !== undefined &&
      (!Number.isSafeInteger(projection.rebuild.batchSize) || projection.rebuild.batchSize < 1)
    ) {
      fail(`rebuild.batchSize must be a positive integer, not ${projection.rebuild.batchSize}`);
    }
  }
}

/** The newest registered definition of each projection name, by name. */
export function newestDefinitions(registry: readonly Projection[]): Map<string, Projection> {
  const newest = new Map<string, Projection>();
  for (const projection of registry) {
    const known = newest.get(projection.name);
    if (!known || known.version < projection.version) newest.set(projection.name, projection);
  }
  return newest;
}

/** The context a handler gets for one version of a projection. */
export function projectionContext(projection: Projection, version: number, client: pg.PoolClient): ProjectionContext {
  const names = new Map(projection.tables.map((table) => [table.name, physicalTableName(table.name, version)]));
  return {
    client,
    version,
    table: (name) => {
      const physical = names.get(name);
      if (physical === undefined)
        throw new ProjectionDefinitionError(
          projection.name,
          `the handler asked for table "${name}", which the projection does not declare`,
        );
      return physical;
    },
  };
}
