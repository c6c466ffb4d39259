import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { envelope, sendCsv, wantsCsv, type ReportEnvelope } from '../report-answer.js';
import { ReportRequests } from '../report-requests.js';
import { ReportWindowQuery } from '../report-window.dto.js';
import type { ReportWindow } from '../report-window.js';
import { unitCategories, unitPerformance, unitUsers, UNIT_PERFORMANCE_COLUMNS } from './unit-performance.js';
import type { UnitPerformanceRow } from './unit-performance.sql.js';

export class UnitParams {
  @ApiProperty({ description: 'The unit', example: 'billing' })
  @IsString()
  @Length(1, 200)
  unit!: string;
}

type UnitAnswer = ReportEnvelope & { rows: UnitPerformanceRow[] };

const DRILL_DOWN =
  'Every cell is the list GET /reports/tickets?unit=…&column=… (add user=… for a user row, category=… for a category row) with the same asOf, from, to.';

/** KPIS.md "The unit performance report and its drill-down": units → users / categories of a unit. */
@ApiTags('reports')
@Roles('analyst')
@Controller('reports/units')
export class UnitPerformanceController {
  constructor(private readonly requests: ReportRequests) {}

  @Get()
  @ApiOperation({
    summary: 'Unit performance: per unit, its stints that started in the period, as of asOf',
    description: `Columns: total, delayed, on_time, pool_delayed, in_pool, in_progress, routed_out, closed. ${DRILL_DOWN}`,
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'The rows, with asOf, period and time zone; CSV with Accept: text/csv' })
  async units(@Query() query: ReportWindowQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response): Promise<UnitAnswer | string> {
    const window = await this.requests.window(query);
    return this.answer('unit-performance', window, await unitPerformance(this.requests.db, window), ['unit_id'], accept, res);
  }

  @Get(':unit/users')
  @ApiOperation({
    summary: 'Unit performance per user of a unit: the assignments in the unit that started in the period',
    description: `Delays attributed to the user; no pool-delay column (null). ${DRILL_DOWN}`,
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'One row per user' })
  async users(
    @Param() params: UnitParams,
    @Query() query: ReportWindowQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UnitAnswer | string> {
    const window = await this.requests.window(query);
    return this.answer('unit-users', window, await unitUsers(this.requests.db, window, params.unit), ['unit_id', 'user_id'], accept, res);
  }

  @Get(':unit/categories')
  @ApiOperation({ summary: 'Unit performance per category within a unit, by each ticket’s category as of asOf', description: DRILL_DOWN })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'One row per category' })
  async categories(
    @Param() params: UnitParams,
    @Query() query: ReportWindowQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UnitAnswer | string> {
    const window = await this.requests.window(query);
    return this.answer('unit-categories', window, await unitCategories(this.requests.db, window, params.unit), ['unit_id', 'category'], accept, res);
  }

  private answer(report: string, window: ReportWindow, rows: UnitPerformanceRow[], keys: string[], accept: string | undefined, res: Response): UnitAnswer | string {
    if (wantsCsv(accept)) return sendCsv(res, report, window, [...keys, ...UNIT_PERFORMANCE_COLUMNS], rows as unknown as Array<Record<string, number | string | null>>);
    return { ...envelope(report, window), rows };
  }
}
