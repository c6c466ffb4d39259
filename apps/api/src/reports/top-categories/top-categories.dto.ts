import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ReportTimeQuery } from '../report-time.dto.js';

export const MAX_TOP_CATEGORIES = 1000;

export class TopCategoriesQuery extends ReportTimeQuery {
  @ApiPropertyOptional({ description: 'How many categories', default: 10, minimum: 1, maximum: MAX_TOP_CATEGORIES })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_TOP_CATEGORIES)
  n?: number;
}
