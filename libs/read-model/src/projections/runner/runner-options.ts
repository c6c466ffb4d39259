import type pg from 'pg';
import type { EventStore } from '#event-store';
import type { Backoff } from '../backoff.js';
import type { ProjectionLog } from '../log.js';
import type { Projection } from '../projection.js';
import type { RunnerProgress } from './runner-progress.js';

export interface RunnerDependencies {
  /** The read store: checkpoints and projection tables. */
  pool: pg.Pool;
  /** Where the events come from (PostgreSQL or EventStoreDB alike). */
  store: EventStore;
}

export interface RunnerOptions {
  /** Events per transaction through `handle`; default 1000. */
  batchSize?: number;
  /** Events per transaction through the bulk path (`rebuild.handle`); default its own batchSize, else 10,000. */
  bulkBatchSize?: number;
  /** Use the projection's bulk path while catching up; default true. */
  bulk?: boolean;
  /**
   * Begin a per-stream phase (projection.ts `perStream`) when the version has applied nothing
   * yet and the store has per-stream reads; default false (`cli rebuild` turns it on). A phase
   * begun before (an interrupted rebuild) is always continued, whatever this says.
   */
  perStream?: boolean;
  /** Soft limit on the events of a per-stream chunk (whole streams, one transaction); default 20,000. */
  perStreamChunkEvents?: number;
  /** How long a caught-up runner waits before reading again; default 25 ms. */
  idlePollMs?: number;
  /** How often a standby tries the lock; default 1000 ms. */
  standbyPollMs?: number;
  /** First back-off after a failed batch, doubled on each further failure; default 250 ms. */
  retryInitialMs?: number;
  /** Longest back-off; default 30 s. */
  retryMaxMs?: number;
  log?: ProjectionLog;
  /** After every committed batch and whenever the runner finds itself caught up. */
  onProgress?: (progress: RunnerProgress) => void;
  /**
   * End (`caught_up`) once the version is live and has read everything visible: `cli rebuild`.
   * Also when another process holds the version's lock and brings it there: such a runner
   * stands by, reports the version's progress, and takes over should that process stop.
   */
  untilCaughtUp?: boolean;
}

/** The options with their defaults filled in and checked. */
export interface RunnerSettings {
  batchSize: number;
  bulkBatchSize: number;
  /** the projection has a bulk path and it is not turned off */
  bulk: boolean;
  /** the projection has a per-stream path and a fresh version may begin it */
  perStream: boolean;
  perStreamChunkEvents: number;
  idlePollMs: number;
  standbyPollMs: number;
  retry: Backoff;
  untilCaughtUp: boolean;
}

const DEFAULT_BATCH_SIZE = 1000;
const DEFAULT_BULK_BATCH_SIZE = 10_000;
const DEFAULT_PER_STREAM_CHUNK_EVENTS = 20_000;

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, not ${value}`);
  return value;
}

/** Throws a RangeError for a batch size that is not a positive integer. */
export function runnerSettings(options: RunnerOptions, projection: Projection): RunnerSettings {
  return {
    batchSize: positive(options.batchSize ?? DEFAULT_BATCH_SIZE, 'batchSize'),
    bulkBatchSize: positive(options.bulkBatchSize ?? projection.rebuild?.batchSize ?? DEFAULT_BULK_BATCH_SIZE, 'bulkBatchSize'),
    bulk: (options.bulk ?? true) && projection.rebuild !== undefined,
    perStream: (options.perStream ?? false) && projection.perStream !== undefined,
    perStreamChunkEvents: positive(options.perStreamChunkEvents ?? DEFAULT_PER_STREAM_CHUNK_EVENTS, 'perStreamChunkEvents'),
    idlePollMs: options.idlePollMs ?? 25,
    standbyPollMs: options.standbyPollMs ?? 1000,
    retry: { initialMs: options.retryInitialMs ?? 250, maxMs: options.retryMaxMs ?? 30_000 },
    untilCaughtUp: options.untilCaughtUp ?? false,
  };
}
