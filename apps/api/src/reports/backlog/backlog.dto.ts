import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { ReportWindowQuery } from '../report-window.dto.js';

export class BacklogQuery extends ReportWindowQuery {
  @ApiPropertyOptional({ description: 'Only this unit (default: every unit)', example: 'billing' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  unit?: string;
}
