import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { envelope, sendCsv, wantsCsv, type ReportEnvelope } from '../report-answer.js';
import { ReportRequests } from '../report-requests.js';
import { ReportWindowQuery } from '../report-window.dto.js';
import { kpiCsvColumns, kpiSummaryRows, toKpiEntry, type KpiSummaryEntry } from './kpi-summary.js';
import { KPI_BUCKETS, KPI_GROUPS, type KpiBucket, type KpiGroup } from './kpi-summary.sql.js';

export class KpiSummaryQuery extends ReportWindowQuery {
  @ApiPropertyOptional({
    description: 'Dimensions to group by, comma-separated (the ticket as of asOf: unit/user = current holder, or the last close’s)',
    example: 'unit',
    type: String,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter((part) => part !== '') : value))
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(KPI_GROUPS.length)
  @IsIn(KPI_GROUPS, { each: true, message: `each groupBy dimension must be one of ${KPI_GROUPS.join(', ')}` })
  groupBy?: KpiGroup[];

  @ApiPropertyOptional({ enum: KPI_BUCKETS, description: 'Bucket the opening instant in the time zone (week: ISO, from Monday). Default: the whole period.' })
  @IsOptional()
  @IsIn(KPI_BUCKETS)
  bucket?: KpiBucket;
}

/** KPIS.md "Rates and aggregates" over the tickets opened in the period. */
@ApiTags('reports')
@Roles('analyst')
@Controller('reports/kpis')
export class KpiSummaryController {
  constructor(private readonly requests: ReportRequests) {}

  @Get()
  @ApiOperation({
    summary: 'KPI summary: every rate and aggregate of KPIS.md over the tickets opened in the period, grouped and bucketed',
    description:
      'Distributions {n, mean, p50, p90} in calendar seconds (frt, trt, tfs also `missing`: selected tickets without the measure); ttc over pool waits, tat over assignments, ' +
      'aht over tickets closed as of asOf. Rates are fractions 0–1, null when their denominator is empty. A group’s tickets: GET /reports/tickets?report=opened&…',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'One entry per group and bucket' })
  async kpis(
    @Query() query: KpiSummaryQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<(ReportEnvelope & { groupBy: KpiGroup[]; bucket: KpiBucket | null; rows: KpiSummaryEntry[] }) | string> {
    const window = await this.requests.window(query);
    const groupBy = query.groupBy ?? [];
    const bucket = query.bucket ?? null;
    const rows = await kpiSummaryRows(this.requests.db, window, groupBy, bucket);
    if (wantsCsv(accept)) return sendCsv(res, 'kpis', window, kpiCsvColumns(groupBy, bucket), rows as Array<Record<string, string | number | Date | null>>);
    return { ...envelope('kpis', window), groupBy, bucket, rows: rows.map((row) => toKpiEntry(row, groupBy)) };
  }
}
