export * from './ticket/events.js';
export * from './ticket/commands.js';
export * from './ticket/errors.js';
export * from './ticket/state.js';
export * from './ticket/decide.js';
export * from './sla/policy.js';
export * from './time/occurred-at.js';
export * from './ticket/codec.js';
