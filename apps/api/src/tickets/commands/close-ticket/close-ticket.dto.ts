import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import type { CloseTicket, Resolution } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField } from '../shared/fields.js';

const RESOLUTIONS: Resolution[] = ['resolved', 'not_resolved', 'duplicate', 'cancelled'];

export class CloseTicketDto extends CommandFields {
  @IdField('The holder (required when the ticket is held)', 'ayse', true)
  userId?: string;

  @ApiProperty({ enum: RESOLUTIONS })
  @IsIn(RESOLUTIONS)
  resolution!: Resolution;

  @ApiProperty({ description: "Was the customer's request met?" })
  @IsBoolean()
  requestMet!: boolean;
}

export function toCloseTicket(dto: CloseTicketDto): CloseTicket {
  return { type: 'CloseTicket', data: { userId: dto.userId ?? null, resolution: dto.resolution, requestMet: dto.requestMet } };
}
