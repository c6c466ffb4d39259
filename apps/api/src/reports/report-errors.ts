import { ApiError } from '#platform';

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The 503s of the reports: the request is fine, the service cannot answer it now. */
export const ReportErrors = {
  /** PostgreSQL cancelled the report's statement at REPORT_STATEMENT_TIMEOUT. */
  timedOut: (timeoutMs: number): ApiError =>
    ApiError.unavailable(
      'REPORT_TIMEOUT',
      `The report ran longer than ${seconds(timeoutMs)} (REPORT_STATEMENT_TIMEOUT) and was cancelled; ` +
        `ask for a shorter period or fewer groups, or retry later.`,
      { retryAfterSeconds: Math.ceil(timeoutMs / 1000), timeoutMs },
    ),
  /** Every report connection (REPORT_POOL_SIZE) stayed busy for as long as a statement may run. */
  busy: (timeoutMs: number): ApiError =>
    ApiError.unavailable('REPORTS_BUSY', `Every report connection stayed busy for ${seconds(timeoutMs)} (REPORT_POOL_SIZE); retry later.`, {
      retryAfterSeconds: Math.ceil(timeoutMs / 1000),
      waitedMs: timeoutMs,
    }),
};
