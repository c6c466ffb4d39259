import type { Provider } from '@nestjs/common';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { APP_CONFIG, type AppConfig, REPORT_POOL } from '#platform';
import type { ReportDatabase } from '#read-model/reports/report-statement.js';
import { ReportErrors } from './report-errors.js';

/**
 * One report connection, held for one request: its statements, and rows streamed as they
 * come. One statement at a time: a new one first closes the rows of the one before.
 */
export interface ReportSession extends ReportDatabase {
  /**
   * The rows of a statement, fetched a batch at a time through a cursor as they are consumed
   * (nothing runs before the first is asked for), so an answer of any size never sits in memory.
   */
  stream<Row>(sql: string, params: readonly unknown[]): AsyncIterable<Row>;
}

/** The report connections: `run` holds one for the length of `work` (the whole streamed answer). */
export interface ReportSessions {
  run<T>(work: (session: ReportSession) => Promise<T>): Promise<T>;
}

export const REPORT_SESSIONS = Symbol('REPORT_SESSIONS');

// Rows per cursor fetch: a batch is a few tens of KB of JSON, and each fetch is one round trip.
const BATCH_ROWS = 500;

interface PgErrorFields {
  code?: unknown;
  message?: unknown;
}

/** PostgreSQL cancelled the statement because it ran past statement_timeout (SQLSTATE 57014). */
function isStatementTimeout(error: unknown): boolean {
  const fields = error as PgErrorFields | null;
  return (
    error instanceof Error && fields?.code === '57014' && typeof fields.message === 'string' && fields.message.includes('statement timeout')
  );
}

/** pg-pool's refusal when no connection frees up within connectionTimeoutMillis (its own wording; a spec pins it). */
export function isPoolWaitTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'timeout exceeded when trying to connect';
}

/** A statement timeout as the 503 the analyst gets; anything else unchanged. */
function toReportFailure(error: unknown, timeoutMs: number): unknown {
  return isStatementTimeout(error) ? ReportErrors.timedOut(timeoutMs) : error;
}

class PgReportSession implements ReportSession {
  /** Streams begun and not yet closed, each with the promise of its 'close'. */
  private readonly open = new Map<QueryStream, Promise<void>>();
  /** A streamed statement failed, or the connection did: the connection is not to be trusted again. */
  private failed = false;
  /** Resolves if the connection ends or fails while held: no cursor will ever close then. */
  private readonly lost: Promise<void>;
  private readonly onLost: () => void;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly timeoutMs: number,
  ) {
    let resolveLost: () => void = () => undefined;
    this.lost = new Promise((resolve) => (resolveLost = resolve));
    this.onLost = () => {
      this.failed = true;
      resolveLost();
    };
    client.on('end', this.onLost);
    client.on('error', this.onLost);
  }

  async query<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    await this.end();
    try {
      return (await this.client.query(sql, [...params])).rows as Row[];
    } catch (error) {
      // pg rejects a plain query once the server is ready again: the connection stays usable.
      throw toReportFailure(error, this.timeoutMs);
    }
  }

  async *stream<Row>(sql: string, params: readonly unknown[]): AsyncGenerator<Row> {
    await this.end();
    const stream = this.client.query(new QueryStream(sql, [...params], { batchSize: BATCH_ROWS }));
    this.open.set(stream, new Promise((resolve) => stream.once('close', () => resolve())));
    try {
      for await (const row of stream) yield row as Row;
    } catch (error) {
      // The cursor's portal is closed without a Sync after an error, which leaves an answer
      // pending on the connection: discard it. A reader that stops early does not come here.
      this.failed = true;
      throw toReportFailure(error, this.timeoutMs);
    }
  }

  /**
   * Closes what the answer left open — a reader that stopped (the client went away), a
   * stream never read — and waits until PostgreSQL has closed each cursor, so the connection
   * goes back to the pool idle: the pool's size stays the bound on report statements running.
   */
  async end(): Promise<void> {
    for (const [stream, closed] of this.open) {
      if (!stream.destroyed) stream.destroy();
      await Promise.race([closed, this.lost]);
    }
    this.open.clear();
  }

  /** Back to the pool; after a failure the pool discards the connection (pg-pool ends a client released with an error). */
  release(): void {
    this.client.off('end', this.onLost);
    this.client.off('error', this.onLost);
    this.client.release(this.failed ? new Error('a report statement failed on this connection') : undefined);
  }
}

/** Report sessions on the report pool (REPORT_POOL_SIZE connections, REPORT_STATEMENT_TIMEOUT). */
export function pgReportSessions(pool: pg.Pool, statementTimeoutMs: number): ReportSessions {
  return {
    async run<T>(work: (session: ReportSession) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        if (isPoolWaitTimeout(error)) throw ReportErrors.busy(statementTimeoutMs);
        throw error;
      }
      const session = new PgReportSession(client, statementTimeoutMs);
      try {
        return await work(session);
      } finally {
        await session.end();
        session.release();
      }
    },
  };
}

export const reportSessionsProvider: Provider = {
  provide: REPORT_SESSIONS,
  inject: [REPORT_POOL, APP_CONFIG],
  useFactory: (pool: pg.Pool, config: AppConfig): ReportSessions => pgReportSessions(pool, config.reports.statementTimeoutMs),
};
