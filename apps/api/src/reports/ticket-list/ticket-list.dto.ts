import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ReportTimeQuery } from '../report-time.dto.js';
import {
  TICKET_LIST_OPENED_COLUMNS,
  TICKET_LIST_SORTS,
  TICKET_LIST_SOURCES,
  TICKET_LIST_UNIT_COLUMNS,
  type TicketListSort,
  type TicketListSource,
} from '#projections/tickets/reports/ticket-list/ticket-list.sql.js';

export const TICKET_STATUSES = ['in_pool', 'in_progress', 'on_hold', 'closed'] as const;
export const MAX_PAGE = 1000;
/**
 * How far into a list a page may start. A page deeper than this costs as much as listing the
 * whole cell; a cell that long is narrowed by period or filters. Far below 2^31 (the SQL's int).
 */
export const MAX_OFFSET = 1_000_000;
const CELL_COLUMNS = [...new Set<string>([...TICKET_LIST_UNIT_COLUMNS, ...TICKET_LIST_OPENED_COLUMNS])];

export class TicketListQuery extends ReportTimeQuery {
  @ApiPropertyOptional({
    enum: TICKET_LIST_SOURCES,
    default: 'units',
    description:
      'units: a cell of the unit performance report (unit required). ' +
      'opened: a cell of the KPI summary or top-N categories (tickets opened in the period).',
  })
  @IsOptional()
  @IsIn(TICKET_LIST_SOURCES)
  report?: TicketListSource;

  @ApiPropertyOptional({
    description: 'units: the unit of the row. opened: the group’s unit (current holder, or the last close’s).',
    example: 'billing',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  unit?: string;

  @ApiPropertyOptional({ description: 'units: the user row (assignments in the unit). opened: the group’s user.', example: 'elif' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  user?: string;

  @ApiPropertyOptional({ description: 'The category as of asOf (a category row, or a filter)', example: 'delivery' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  category?: string;

  @ApiPropertyOptional({ example: 'phone' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  channel?: string;

  @ApiPropertyOptional({ example: 'high' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  priority?: string;

  @ApiPropertyOptional({ enum: TICKET_STATUSES, description: 'Status as of asOf' })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: string;

  @ApiPropertyOptional({
    enum: CELL_COLUMNS,
    description:
      `The cell’s column. units: ${TICKET_LIST_UNIT_COLUMNS.join(', ')} (default total). ` +
      `opened: ${TICKET_LIST_OPENED_COLUMNS.join(', ')} (default volume).`,
  })
  @IsOptional()
  @IsIn(CELL_COLUMNS)
  column?: string;

  @ApiPropertyOptional({ enum: TICKET_LIST_SORTS, default: 'opened_at' })
  @IsOptional()
  @IsIn(TICKET_LIST_SORTS)
  sort?: TicketListSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}
