import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { envelope, sendCsv, wantsCsv, type ReportEnvelope } from '../report-answer.js';
import { ReportRequests } from '../report-requests.js';
import { ReportWindowQuery } from '../report-window.dto.js';
import { topCategories, TOP_CATEGORY_COLUMNS } from './top-categories.js';
import type { TopCategoryRow } from './top-categories.sql.js';

export class TopCategoriesQuery extends ReportWindowQuery {
  @ApiPropertyOptional({ description: 'How many categories', default: 10, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  n?: number;
}

/** KPIS.md: categories ranked by volume of tickets opened in the period, by category as of asOf. */
@ApiTags('reports')
@Roles('analyst')
@Controller('reports/top-categories')
export class TopCategoriesController {
  constructor(private readonly requests: ReportRequests) {}

  @Get()
  @ApiOperation({
    summary: 'Top N categories by volume (tickets opened in the period), with on-time response % and request-met %',
    description: 'Rates are fractions 0–1, null when their denominator is empty. A row’s tickets: GET /reports/tickets?report=opened&category=…',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'Categories, most tickets first (ties by name)' })
  async top(
    @Query() query: TopCategoriesQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<(ReportEnvelope & { n: number; rows: TopCategoryRow[] }) | string> {
    const window = await this.requests.window(query);
    const n = query.n ?? 10;
    const rows = await topCategories(this.requests.db, window, n);
    if (wantsCsv(accept)) return sendCsv(res, 'top-categories', window, TOP_CATEGORY_COLUMNS, rows as unknown as Array<Record<string, string | number | null>>);
    return { ...envelope('top-categories', window), n, rows };
  }
}
