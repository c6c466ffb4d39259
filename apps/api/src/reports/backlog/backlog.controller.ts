import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles, SessionReadable } from '../../access/access.decorators.js';
import { instant, integer, localDate, nullable, record, ReportAnswers, text } from '../report-openapi.js';
import { ReportRequests } from '../report-requests.js';
import { BACKLOG_COLUMNS } from '#projections/tickets/reports/backlog/backlog.js';
import type { BacklogRow } from '#projections/tickets/reports/backlog/backlog.sql.js';
import { backlogStatement } from '#projections/unit-days/reports/backlog.js';
import { BacklogQuery } from './backlog.dto.js';

/** KPIS.md "Backlog": a stock at the end of each local day, exact for any past day. */
@ApiTags('reports')
@Roles('analyst')
// Every report is a GET the dashboard's session may make.
@SessionReadable()
@Controller('reports/backlog')
export class BacklogController {
  constructor(private readonly requests: ReportRequests) {}

  @Get()
  @ApiOperation({
    summary: 'Backlog series: per local day of the period and unit, the backlog at the end of the day',
    description:
      'count, over_target (current cycle’s resolution due before then), aging lt1d / 1to3d / 3to7d / ge7d from the original opening. ' +
      'Every ticket counts (not only those opened in the period), on hold and in a pool included, at the unit holding it then. ' +
      'A day still running at asOf is shown as of asOf (`at`); days that begin after asOf are left out. ' +
      'The figures come from the daily series per unit (analytics.unit_days) when it is cut in the request’s zone, ' +
      'else they are computed at query time: the same figures either way. ' +
      'The period may touch at most REPORT_MAX_DAYS local days (one row per day and unit).',
  })
  @ReportAnswers({
    report: 'backlog',
    description: 'One row per day and unit',
    head: { unit: nullable(text) },
    row: record({
      day: localDate,
      ends_at: instant,
      at: instant,
      unit_id: text,
      count: integer,
      over_target: integer,
      lt1d: integer,
      '1to3d': integer,
      '3to7d': integer,
      ge7d: integer,
    }),
  })
  async backlog(@Query() query: BacklogQuery, @Headers('accept') accept: string | undefined, @Res() res: Response): Promise<void> {
    const unit = query.unit ?? null;
    await this.requests.answer<BacklogRow>(query, accept, res, {
      report: 'backlog',
      statement: (window, db) => backlogStatement(db, window, unit),
      csvColumns: BACKLOG_COLUMNS,
      head: () => ({ unit }),
    });
  }
}
