export { EventStoreDbEventStore, type EventStoreDbOptions } from './eventstoredb-event-store.js';
export { isUnavailable } from './errors.js';
export { comparePositions as compareEventStoreDbPositions, formatPosition as formatEventStoreDbPosition } from './position.js';
