export * from './postgres/embedded-server.js';
export * from './postgres/open-database.js';
export * from './data-source.js';
export * from './migrations/index.js';
export * from './postgres/close-pools.js';
