/** What every app shares: configuration, clock, logging, connections, API keys, errors, the request context. */
export * from './api-keys/api-key-secret.js';
export * from './api-keys/api-key.record.js';
export * from './api-keys/api-keys.js';
export * from './api-keys/roles.js';
export * from './clock/clock.js';
export * from './config/app-config.js';
export * from './context/request-context.js';
export * from './database/connections.js';
export * from './database/migrate-database.js';
export * from './database/tokens.js';
export * from './errors/api-error.js';
export * from './logging/json-logger.js';
export * from './reference/index.js';
