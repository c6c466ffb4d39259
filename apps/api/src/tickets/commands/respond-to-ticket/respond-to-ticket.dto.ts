import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { RespondToTicket } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField } from '../shared/fields.js';

export class RespondToTicketDto extends CommandFields {
  @IdField('The holder', 'deniz')
  userId!: string;

  @IdField("The channel of the reply (default: the ticket's channel)", 'email', true)
  channel?: string;

  @ApiProperty({ description: 'Does the reply offer a solution (for time to first solution)?' })
  @IsBoolean()
  solution!: boolean;
}

export function toRespondToTicket(dto: RespondToTicketDto): RespondToTicket {
  return { type: 'RespondToTicket', data: { userId: dto.userId, channel: dto.channel ?? null, solution: dto.solution } };
}
