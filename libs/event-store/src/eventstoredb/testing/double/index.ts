export { startDouble, type DoubleOptions, type EventStoreDbDouble, type StoredEvent } from './server.js';
export type { LogPosition } from './positions.js';
