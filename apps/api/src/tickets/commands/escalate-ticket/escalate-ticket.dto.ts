import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { EscalateTicket } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField, TextField } from '../shared/fields.js';

export class EscalateTicketDto extends CommandFields {
  @IdField('Who escalates (default: the system)', 'elif', true)
  userId?: string;

  @ApiPropertyOptional({ description: 'Escalation level, above the current one (default: one above)', minimum: 1, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  level?: number;

  @TextField('Why', 'customer asked for a manager', 500)
  reason!: string;

  @IdField('Also move the ticket to this unit (a TicketRouted in the same command)', 'billing', true)
  toUnitId?: string;
}

export function toEscalateTicket(dto: EscalateTicketDto): EscalateTicket {
  return {
    type: 'EscalateTicket',
    data: { userId: dto.userId ?? null, level: dto.level ?? null, reason: dto.reason, toUnitId: dto.toUnitId ?? null },
  };
}
