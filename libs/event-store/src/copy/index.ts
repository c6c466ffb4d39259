export {
  copyEvents,
  streamRuns,
  DEFAULT_COPY_BATCH_SIZE,
  type CopyEventsOptions,
  type CopyProgress,
  type CopySummary,
} from './copy-events.js';
export { targetIdentity, type CopyCheckpoint, type CopyCheckpoints } from './copy-checkpoints.js';
export { CopyConflictError, type CopyConflictCode } from './copy-errors.js';
export {
  compareDigests,
  compareStores,
  eventDigestText,
  streamDigests,
  type CompareStoresOptions,
  type StoreComparison,
  type StreamDifference,
  type StreamDigest,
} from './stream-digests.js';
