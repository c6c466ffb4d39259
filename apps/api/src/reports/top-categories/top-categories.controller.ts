import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { integer, nullable, number, record, ReportAnswers, text } from '../report-openapi.js';
import { ReportRequests } from '../report-requests.js';
import { ReportWindowQuery } from '../report-window.dto.js';
import { topCategoriesStatement, TOP_CATEGORY_COLUMNS } from '#projections/tickets/reports/top-categories/top-categories.js';
import type { TopCategoryRow } from '#projections/tickets/reports/top-categories/top-categories.sql.js';

export const MAX_TOP_CATEGORIES = 1000;

export class TopCategoriesQuery extends ReportWindowQuery {
  @ApiPropertyOptional({ description: 'How many categories', default: 10, minimum: 1, maximum: MAX_TOP_CATEGORIES })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_TOP_CATEGORIES)
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
  @ReportAnswers({
    report: 'top-categories',
    description: 'Categories, most tickets first (ties by name)',
    head: { n: integer },
    row: record({ category: text, volume: integer, on_time_response_pct: nullable(number), request_met_pct: nullable(number) }),
  })
  async top(@Query() query: TopCategoriesQuery, @Headers('accept') accept: string | undefined, @Res() res: Response): Promise<void> {
    const n = query.n ?? 10;
    await this.requests.answer<TopCategoryRow>(query, accept, res, {
      report: 'top-categories',
      statement: (window) => topCategoriesStatement(window, n),
      csvColumns: TOP_CATEGORY_COLUMNS,
      head: () => ({ n }),
    });
  }
}
