import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags, type SchemaObject } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles, SessionReadable } from '../../access/access.decorators.js';
import { integer, nullable, record, ReportAnswers, text } from '../report-openapi.js';
import { ReportRequests } from '../report-requests.js';
import { ReportTimeQuery, TIME_HEAD, timeOf } from '../report-time.dto.js';
import {
  unitCategoriesStatement,
  unitPerformanceStatement,
  UNIT_PERFORMANCE_COLUMNS,
  unitUsersStatement,
} from '#projections/tickets/reports/unit-performance/unit-performance.js';
import type { UnitPerformanceRow } from '#projections/tickets/reports/unit-performance/unit-performance.sql.js';
import { UnitParams } from './unit-performance.dto.js';

const DRILL_DOWN =
  'Every cell is the list GET /reports/tickets?unit=…&column=… (add user=… for a user row, category=… for a category row) ' +
  'with the same asOf, from, to.';

const COUNTS = {
  total: integer,
  delayed: integer,
  on_time: integer,
  in_pool: integer,
  in_progress: integer,
  routed_out: integer,
  closed: integer,
};

function unitRow(keys: Record<string, SchemaObject>, poolDelayed: SchemaObject): SchemaObject {
  return record({ ...keys, ...COUNTS, pool_delayed: poolDelayed });
}

/** KPIS.md "The unit performance report and its drill-down": units → users / categories of a unit. */
@ApiTags('reports')
@Roles('analyst')
// Every report is a GET the dashboard's session may make.
@SessionReadable()
@Controller('reports/units')
export class UnitPerformanceController {
  constructor(private readonly requests: ReportRequests) {}

  @Get()
  @ApiOperation({
    summary: 'Unit performance: per unit, its stints that started in the period, as of asOf',
    description: `Columns: total, delayed, on_time, pool_delayed, in_pool, in_progress, routed_out, closed. ${DRILL_DOWN}`,
  })
  @ReportAnswers({ report: 'unit-performance', description: 'One row per unit', head: TIME_HEAD, row: unitRow({ unit_id: text }, integer) })
  async units(@Query() query: ReportTimeQuery, @Headers('accept') accept: string | undefined, @Res() res: Response): Promise<void> {
    await this.requests.answer<UnitPerformanceRow>(query, accept, res, {
      report: 'unit-performance',
      statement: (window) => unitPerformanceStatement(window),
      csvColumns: ['unit_id', ...UNIT_PERFORMANCE_COLUMNS],
      head: () => timeOf(query).head,
      csvHeaders: () => timeOf(query).csvHeaders,
    });
  }

  @Get(':unit/users')
  @ApiOperation({
    summary: 'Unit performance per user of a unit: the assignments in the unit that started in the period',
    description: `Delays attributed to the user; no pool-delay column (null). ${DRILL_DOWN}`,
  })
  @ReportAnswers({
    report: 'unit-users',
    description: 'One row per user',
    head: TIME_HEAD,
    row: unitRow(
      { unit_id: text, user_id: text },
      { ...nullable(integer), description: 'Always null: a claim delay belongs to the pool, not to a user' },
    ),
  })
  async users(
    @Param() params: UnitParams,
    @Query() query: ReportTimeQuery,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.requests.answer<UnitPerformanceRow>(query, accept, res, {
      report: 'unit-users',
      statement: (window) => unitUsersStatement(window, params.unit),
      csvColumns: ['unit_id', 'user_id', ...UNIT_PERFORMANCE_COLUMNS],
      head: () => timeOf(query).head,
      csvHeaders: () => timeOf(query).csvHeaders,
    });
  }

  @Get(':unit/categories')
  @ApiOperation({ summary: 'Unit performance per category within a unit, by each ticket’s category as of asOf', description: DRILL_DOWN })
  @ReportAnswers({
    report: 'unit-categories',
    description: 'One row per category',
    head: TIME_HEAD,
    row: unitRow({ unit_id: text, category: text }, integer),
  })
  async categories(
    @Param() params: UnitParams,
    @Query() query: ReportTimeQuery,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.requests.answer<UnitPerformanceRow>(query, accept, res, {
      report: 'unit-categories',
      statement: (window) => unitCategoriesStatement(window, params.unit),
      csvColumns: ['unit_id', 'category', ...UNIT_PERFORMANCE_COLUMNS],
      head: () => timeOf(query).head,
      csvHeaders: () => timeOf(query).csvHeaders,
    });
  }
}
