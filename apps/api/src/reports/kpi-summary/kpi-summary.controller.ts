import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles, SessionReadable } from '../../access/access.decorators.js';
import { instant, integer, localDate, nullable, number, oneOf, record, ReportAnswers, text } from '../report-openapi.js';
import { ReportRequests } from '../report-requests.js';
import {
  kpiCsvColumns,
  kpiSummaryStatement,
  KPI_RATES,
  toKpiEntry,
  type KpiRate,
} from '#projections/tickets/reports/kpi-summary/kpi-summary.js';
import { KPI_BUCKETS, KPI_GROUPS, type KpiSummaryRow } from '#projections/tickets/reports/kpi-summary/kpi-summary.sql.js';
import { TIME_HEAD, timeOf } from '../report-time.dto.js';
import { KpiSummaryQuery } from './kpi-summary.dto.js';

const distribution = { n: integer, mean: nullable(number), p50: nullable(number), p90: nullable(number) };
const ticketDistribution = record({ ...distribution, missing: integer });
// Over all of a group's tickets, never empty: no null. SLA compliance is null without targets (kpis.md).
const ALWAYS_DEFINED: readonly KpiRate[] = ['escalation_rate_pct'];

const KPI_ENTRY = record({
  bucket: nullable(record({ start: localDate, from: instant, to: instant })),
  group: record(Object.fromEntries(KPI_GROUPS.map((group) => [group, nullable(text)])), KPI_GROUPS),
  volume: integer,
  frt: ticketDistribution,
  trt: ticketDistribution,
  tfs: ticketDistribution,
  ttc: record(distribution),
  tat: record(distribution),
  aht: record(distribution),
  ...Object.fromEntries(KPI_RATES.map((rate) => [rate, ALWAYS_DEFINED.includes(rate) ? number : nullable(number)])),
  surveys: integer,
});

/** KPIS.md "Rates and aggregates" over the tickets opened in the period. */
@ApiTags('reports')
@Roles('analyst')
// Every report is a GET the dashboard's session may make.
@SessionReadable()
@Controller('reports/kpis')
export class KpiSummaryController {
  constructor(private readonly requests: ReportRequests) {}

  @Get()
  @ApiOperation({
    summary: 'KPI summary: every rate and aggregate of KPIS.md over the tickets opened in the period, grouped and bucketed',
    description:
      'Distributions {n, mean, p50, p90} in calendar seconds, or business seconds with time=business ' +
      '(frt, trt, tfs also `missing`: selected tickets without the measure); ' +
      'ttc over pool waits, tat over assignments, aht over tickets closed as of asOf. ' +
      'Rates are fractions 0–1, null when their denominator is empty. A group’s tickets: GET /reports/tickets?report=opened&… ' +
      '`group` holds the dimensions grouped by. ' +
      'The CSV has the same figures flat: bucket_start, bucket_from, bucket_to when bucketed, the grouped columns, ' +
      'then frt_n, frt_missing, frt_mean … surveys.',
  })
  @ReportAnswers({
    report: 'kpis',
    description: 'One entry per group and bucket',
    head: { groupBy: { type: 'array', items: oneOf(KPI_GROUPS) }, bucket: nullable(oneOf(KPI_BUCKETS)), ...TIME_HEAD },
    row: KPI_ENTRY,
  })
  async kpis(@Query() query: KpiSummaryQuery, @Headers('accept') accept: string | undefined, @Res() res: Response): Promise<void> {
    const groupBy = query.groupBy ?? [];
    const bucket = query.bucket ?? null;
    const { time, head, csvHeaders } = timeOf(query);
    await this.requests.answer<KpiSummaryRow>(query, accept, res, {
      report: 'kpis',
      statement: (window) => kpiSummaryStatement(window, groupBy, bucket, time),
      csvColumns: kpiCsvColumns(groupBy, bucket),
      head: () => ({ groupBy, bucket, ...head }),
      csvHeaders: () => csvHeaders,
      // JSON nests each distribution; the CSV keeps the statement's flat columns.
      json: (row) => toKpiEntry(row, groupBy),
    });
  }
}
