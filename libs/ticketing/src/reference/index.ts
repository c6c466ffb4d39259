export * from './definitions.js';
export * from './events.js';
export * from './catalogue.js';
