import { windowParams, type ReportDatabase, type ReportStatement, type ReportWindow } from '#read-model/reports/report-statement.js';
import type { ReportTime } from '../report-time.js';
import { kpiSummarySql, type KpiBucket, type KpiGroup, type KpiSummaryRow } from './kpi-summary.sql.js';

/** mean, p50, p90 in seconds over the rows that have the measure (n), null when n is 0. */
export interface Distribution {
  n: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
}

/** For per-ticket measures, also how many selected tickets do not have it. */
export interface TicketDistribution extends Distribution {
  missing: number;
}

export const KPI_RATES = [
  'on_time_response_pct',
  'sdr_pct',
  'fcr_system_pct',
  'fcr_survey_pct',
  'csat_pct',
  'dsat_pct',
  'rr_pct',
  'request_met_pct',
  'escalation_rate_pct',
  'reopen_rate_pct',
  'sla_compliance_pct',
] as const;
export type KpiRate = (typeof KPI_RATES)[number];

export interface KpiSummaryEntry extends Record<KpiRate, number | null> {
  /** the bucket of the opening instant (local start date, and its instants), when bucketed */
  bucket: { start: string; from: Date; to: Date } | null;
  /** the values of the dimensions grouped by */
  group: Partial<Record<KpiGroup, string | null>>;
  volume: number;
  frt: TicketDistribution;
  trt: TicketDistribution;
  tfs: TicketDistribution;
  ttc: Distribution;
  tat: Distribution;
  aht: Distribution;
  surveys: number;
}

const GROUP_COLUMNS: Record<KpiGroup, string> = {
  unit: 'unit_id',
  user: 'user_id',
  category: 'category',
  channel: 'channel',
  priority: 'priority',
};

/** The flat columns of a KPI summary row (the CSV), after the bucket and group columns. */
export const KPI_FIGURE_COLUMNS = [
  'volume',
  ...['frt', 'trt', 'tfs'].flatMap((m) => [`${m}_n`, `${m}_missing`, `${m}_mean`, `${m}_p50`, `${m}_p90`]),
  ...['ttc', 'tat', 'aht'].flatMap((m) => [`${m}_n`, `${m}_mean`, `${m}_p50`, `${m}_p90`]),
  ...KPI_RATES,
  'surveys',
];

export function kpiCsvColumns(groupBy: readonly KpiGroup[], bucket: KpiBucket | null): string[] {
  return [...(bucket ? ['bucket_start', 'bucket_from', 'bucket_to'] : []), ...groupBy.map((g) => GROUP_COLUMNS[g]), ...KPI_FIGURE_COLUMNS];
}

export function kpiSummaryStatement(
  window: ReportWindow,
  groupBy: readonly KpiGroup[],
  bucket: KpiBucket | null,
  time: ReportTime = 'calendar',
): ReportStatement {
  return { sql: kpiSummarySql(time), params: [...windowParams(window), window.timeZone, [...groupBy], bucket] };
}

export function kpiSummaryRows(
  db: ReportDatabase,
  window: ReportWindow,
  groupBy: readonly KpiGroup[],
  bucket: KpiBucket | null,
  time: ReportTime = 'calendar',
): Promise<KpiSummaryRow[]> {
  const { sql, params } = kpiSummaryStatement(window, groupBy, bucket, time);
  return db.query<KpiSummaryRow>(sql, params);
}

function distribution(row: KpiSummaryRow, measure: string): Distribution {
  return {
    n: row[`${measure}_n`] as number,
    mean: row[`${measure}_mean`] as number | null,
    p50: row[`${measure}_p50`] as number | null,
    p90: row[`${measure}_p90`] as number | null,
  };
}

function ticketDistribution(row: KpiSummaryRow, measure: string): TicketDistribution {
  return { ...distribution(row, measure), missing: row[`${measure}_missing`] as number };
}

export function toKpiEntry(row: KpiSummaryRow, groupBy: readonly KpiGroup[]): KpiSummaryEntry {
  const rates = Object.fromEntries(KPI_RATES.map((rate) => [rate, row[rate] as number | null])) as Record<KpiRate, number | null>;
  return {
    bucket:
      row.bucket_start === null || row.bucket_from === null || row.bucket_to === null
        ? null
        : { start: row.bucket_start, from: row.bucket_from, to: row.bucket_to },
    group: Object.fromEntries(groupBy.map((g) => [g, row[GROUP_COLUMNS[g]] as string | null])),
    volume: row.volume,
    frt: ticketDistribution(row, 'frt'),
    trt: ticketDistribution(row, 'trt'),
    tfs: ticketDistribution(row, 'tfs'),
    ttc: distribution(row, 'ttc'),
    tat: distribution(row, 'tat'),
    aht: distribution(row, 'aht'),
    ...rates,
    surveys: row.surveys as number,
  };
}

/** The KPI summary as entries: one per group (and bucket); durations in calendar or business seconds. */
export async function kpiSummary(
  db: ReportDatabase,
  window: ReportWindow,
  groupBy: readonly KpiGroup[],
  bucket: KpiBucket | null,
  time: ReportTime = 'calendar',
): Promise<KpiSummaryEntry[]> {
  return (await kpiSummaryRows(db, window, groupBy, bucket, time)).map((row) => toKpiEntry(row, groupBy));
}
