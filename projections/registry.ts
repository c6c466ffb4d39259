import type { Projection } from '../libs/read-model/src/projections/projection.js';
import { ticketsProjection } from './tickets/tickets.projection.js';

/** Every projection the product runs; a new version of one is registered beside the old. */
export const PROJECTIONS: readonly Projection[] = [ticketsProjection];
