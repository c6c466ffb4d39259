export * from './reference-store.js';
