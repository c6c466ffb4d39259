import type { Projection } from '#read-model/projections/projection.js';
import { createDeadlinesProjection } from './deadlines/deadlines.projection.js';
import { createNotificationsProjection } from './notifications/notifications.projection.js';
import { createReferenceProjection } from './reference/reference.projection.js';
import { ticketsProjection } from './tickets/tickets.projection.js';
import { createUnitDaysProjection } from './unit-days/unit-days.projection.js';

export interface RegistryOptions {
  /** REPORTING_TIME_ZONE: the local days of the daily series (unit_days). */
  reportingTimeZone: string;
}

/**
 * Every projection the product runs; a new version of one is registered beside the old. The
 * API, the projector and `cli rebuild` each build it from their configuration, so they run
 * the same definitions.
 */
export function createRegistry(options: RegistryOptions): readonly Projection[] {
  return [
    ticketsProjection,
    createUnitDaysProjection({ timeZone: options.reportingTimeZone }),
    createReferenceProjection(),
    createDeadlinesProjection(),
    createNotificationsProjection(),
  ];
}
