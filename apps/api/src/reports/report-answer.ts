import type { Response } from 'express';
import { toCsv, type CsvValue } from './csv/csv.js';
import type { ReportWindow } from './report-window.js';

/** The envelope of every JSON report: which report, as of when, over which period, in which zone. */
export interface ReportEnvelope {
  report: string;
  asOf: string;
  period: { from: string; to: string };
  timeZone: string;
}

export function envelope(report: string, window: ReportWindow): ReportEnvelope {
  return {
    report,
    asOf: window.asOf.toISOString(),
    period: { from: window.from.toISOString(), to: window.to.toISOString() },
    timeZone: window.timeZone,
  };
}

/** `Accept: text/csv` asks for CSV; anything else gets JSON. */
export function wantsCsv(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((type) => type.split(';')[0].trim().toLowerCase() === 'text/csv');
}

/** The columns every CSV answer ends with, so a saved file still says what it is. */
export const CSV_WINDOW_COLUMNS = ['as_of', 'period_from', 'period_to', 'time_zone'] as const;

/**
 * A report as CSV: the given columns, then the window's, on every row; the window is also
 * in `Report-As-Of`, `Report-Period-From`, `Report-Period-To` and `Report-Time-Zone`.
 */
export function sendCsv(res: Response, report: string, window: ReportWindow, columns: readonly string[], rows: ReadonlyArray<Record<string, CsvValue>>): string {
  const stamp = { as_of: window.asOf, period_from: window.from, period_to: window.to, time_zone: window.timeZone };
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${report}.csv"`);
  res.setHeader('Report-As-Of', window.asOf.toISOString());
  res.setHeader('Report-Period-From', window.from.toISOString());
  res.setHeader('Report-Period-To', window.to.toISOString());
  res.setHeader('Report-Time-Zone', window.timeZone);
  return toCsv([...columns, ...CSV_WINDOW_COLUMNS], rows.map((row) => ({ ...row, ...stamp })));
}
