export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.js';
export { migrateEventStore, type MigrationOutcome } from './migrate.js';
export { comparePositions, formatPosition, parsePosition, type PostgresPosition } from './position.js';
export { PostgresCopyCheckpoints } from './copy-checkpoints.js';
