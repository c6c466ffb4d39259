import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import type { OpenTicket } from '../../../../../../libs/ticketing/src/index.js';
import { CommandFields } from '../command-fields.js';
import { IdField, TextField } from '../fields.js';

export class OpenTicketDto extends CommandFields {
  @ApiPropertyOptional({ description: 'The ticket id, if the client chooses it (a UUID). Default: derived from the command id.', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ticketId?: string;

  @IdField('Where the ticket came from: phone, email, web, store, sms, ivr…', 'phone')
  channel!: string;

  @IdField('The customer', 'cust-57')
  customer!: string;

  @IdField('The customer tier, for SLA policies', 'gold', true)
  customerTier?: string;

  @IdField('Category', 'wrong-invoice')
  category!: string;

  @IdField('Priority', 'normal')
  priority!: string;

  @IdField('Product', 'fiber-100', true)
  product?: string;

  @TextField('Subject', 'Invoice charged twice', 500)
  subject!: string;

  @IdField('The unit whose pool the ticket lands in', 'front')
  unitId!: string;

  @IdField('An agent who opened it on a call and takes it at once', 'deniz', true)
  claimBy?: string;
}

export function toOpenTicket(dto: OpenTicketDto): OpenTicket {
  return {
    type: 'OpenTicket',
    data: {
      channel: dto.channel,
      customer: dto.customer,
      customerTier: dto.customerTier ?? null,
      category: dto.category,
      priority: dto.priority,
      product: dto.product ?? null,
      subject: dto.subject,
      unitId: dto.unitId,
      claimBy: dto.claimBy ?? null,
    },
  };
}
