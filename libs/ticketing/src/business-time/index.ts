export * from './calendar.js';
export * from './errors.js';
export { addBusinessMs, addBusinessSeconds, businessMsBetween, businessSecondsBetween } from './business-time.js';
export * from './clock.js';
