/** The database this process opened (DATABASE_URL or the embedded server): `OpenDatabase`. */
export const DATABASE = Symbol('DATABASE');
/** `pg.Pool` the event store appends and reads through. */
export const EVENT_STORE_POOL = Symbol('EVENT_STORE_POOL');
/**
 * `pg.Pool` of the idempotency layer alone: it holds a transaction open for as long as a
 * command runs, and must not starve the event store's pool of connections meanwhile.
 */
export const IDEMPOTENCY_POOL = Symbol('IDEMPOTENCY_POOL');
/**
 * `pg.Pool` of the report statements alone (REPORT_POOL_SIZE connections with
 * REPORT_STATEMENT_TIMEOUT and a larger work_mem), so reports never take the connections
 * commands, the health check and the projections need.
 */
export const REPORT_POOL = Symbol('REPORT_POOL');
