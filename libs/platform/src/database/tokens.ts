/** The database this process opened (DATABASE_URL or the embedded server): `OpenDatabase`. */
export const DATABASE = Symbol('DATABASE');
/** `pg.Pool` the event store appends and reads through. */
export const EVENT_STORE_POOL = Symbol('EVENT_STORE_POOL');
/** `pg.Pool` of the idempotency layer: its claims and stored answers, and the process's liveness session. */
export const IDEMPOTENCY_POOL = Symbol('IDEMPOTENCY_POOL');
/**
 * `pg.Pool` of the report statements alone (REPORT_POOL_SIZE connections with
 * REPORT_STATEMENT_TIMEOUT and a larger work_mem), so reports never take the connections
 * commands, the health check and the projections need.
 */
export const REPORT_POOL = Symbol('REPORT_POOL');
/**
 * `{ pool, eventStore }` of the inline projections (runners, watchdog, deliverer): a pool of
 * their own and an event store reading through it, so they never take the appends' connections.
 */
export const INLINE_PROJECTIONS = Symbol('INLINE_PROJECTIONS');
