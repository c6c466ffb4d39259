import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles, SessionReadable } from '../../access/access.decorators.js';
import { integer, nullable, number, record, ReportAnswers, text } from '../report-openapi.js';
import { ReportRequests } from '../report-requests.js';
import { topCategoriesStatement, TOP_CATEGORY_COLUMNS } from '#projections/tickets/reports/top-categories/top-categories.js';
import type { TopCategoryRow } from '#projections/tickets/reports/top-categories/top-categories.sql.js';
import { TIME_HEAD, timeOf } from '../report-time.dto.js';
import { TopCategoriesQuery } from './top-categories.dto.js';

/** KPIS.md: categories ranked by volume of tickets opened in the period, by category as of asOf. */
@ApiTags('reports')
@Roles('analyst')
// Every report is a GET the dashboard's session may make.
@SessionReadable()
@Controller('reports/top-categories')
export class TopCategoriesController {
  constructor(private readonly requests: ReportRequests) {}

  @Get()
  @ApiOperation({
    summary: 'Top N categories by volume (tickets opened in the period), with on-time response % and request-met %',
    description:
      'Rates are fractions 0–1, null when their denominator is empty. A row’s tickets: GET /reports/tickets?report=opened&category=…',
  })
  @ReportAnswers({
    report: 'top-categories',
    description: 'Categories, most tickets first (ties by name)',
    head: { n: integer, ...TIME_HEAD },
    row: record({ category: text, volume: integer, on_time_response_pct: nullable(number), request_met_pct: nullable(number) }),
  })
  async top(@Query() query: TopCategoriesQuery, @Headers('accept') accept: string | undefined, @Res() res: Response): Promise<void> {
    const n = query.n ?? 10;
    await this.requests.answer<TopCategoryRow>(query, accept, res, {
      report: 'top-categories',
      statement: (window) => topCategoriesStatement(window, n),
      csvColumns: TOP_CATEGORY_COLUMNS,
      head: () => ({ n, ...timeOf(query).head }),
      csvHeaders: () => timeOf(query).csvHeaders,
    });
  }
}
