/**
 * What report SQL and whoever runs it agree on. Each projection keeps the statements that read
 * its tables (projections/<name>/reports); the API runs them on its report connections and
 * streams the answer, specs run them on a plain pool. Every statement's first parameters are
 * the window's instants: $1 asOf, $2 period from, $3 period to.
 */

/** Where report SQL runs: the read-model database, which holds the `analytics` views. */
export interface ReportDatabase {
  query<Row>(sql: string, params: readonly unknown[]): Promise<Row[]>;
}

/** A report statement with its parameters: run whole with `query`, or streamed over HTTP. */
export interface ReportStatement {
  sql: string;
  params: unknown[];
}

/** What every report answer states: the instant its figures are as of, its period, its zone. */
export interface ReportWindow {
  asOf: Date;
  /** the period [from, to), half-open */
  from: Date;
  to: Date;
  timeZone: string;
}

/** The first three parameters of every report statement: $1 asOf, $2 from, $3 to. */
export function windowParams(window: ReportWindow): [string, string, string] {
  return [window.asOf.toISOString(), window.from.toISOString(), window.to.toISOString()];
}
