/**
 * Which seconds a report's duration figures are in (KPIS.md "Time"): calendar seconds (the
 * default), or the business seconds that sit beside them (`*_business_s`). Reports without
 * duration figures take it too, so one query string fits every report, and change nothing.
 */
export const REPORT_TIMES = ['calendar', 'business'] as const;
export type ReportTime = (typeof REPORT_TIMES)[number];
