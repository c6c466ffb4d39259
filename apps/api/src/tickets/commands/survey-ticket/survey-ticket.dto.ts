import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { SurveyTicket } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField, TextField } from '../shared/fields.js';

export class SurveyTicketDto extends CommandFields {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'Satisfaction, 1 (worst) to 5' })
  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;

  @ApiPropertyOptional({ description: 'Was the problem resolved? (omit if not asked)' })
  @IsOptional()
  @IsBoolean()
  resolved?: boolean;

  @ApiPropertyOptional({ description: 'Was it resolved on the first contact? (omit if not asked)' })
  @IsOptional()
  @IsBoolean()
  resolvedOnFirstContact?: boolean;

  @IdField('How the survey was taken: sms, ivr, email…', 'sms')
  channel!: string;

  @TextField('Free text', 'quick and kind', 2000, true)
  comment?: string;
}

export function toSurveyTicket(dto: SurveyTicketDto): SurveyTicket {
  return {
    type: 'SurveyTicket',
    data: {
      score: dto.score,
      resolved: dto.resolved ?? null,
      resolvedOnFirstContact: dto.resolvedOnFirstContact ?? null,
      channel: dto.channel,
      comment: dto.comment ?? null,
    },
  };
}
