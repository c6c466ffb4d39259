export * from './port/event-store.js';
export * from './ids/uuid-v5.js';
export * from './postgres/index.js';
