export * from './calendar.js';
export * from './errors.js';
export { addBusinessMs, addBusinessSeconds, subtractBusinessMs, businessMsBetween, businessSecondsBetween } from './business-time.js';
export * from './clock.js';
