import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { OpenTicket } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField, TextField } from '../shared/fields.js';
import { TICKET_ID_PATTERN } from '../../ticket-id.js';

export class OpenTicketDto extends CommandFields {
  @ApiPropertyOptional({
    description:
      'The ticket id, if the client chooses it: a UUID, in any case (the lower-case form is kept; ' +
      'an existing id in any case is 409 TICKET_ALREADY_EXISTS). Default: derived from the command id.',
    pattern: TICKET_ID_PATTERN,
    example: '0b7c4e0e-8d0c-4c3f-9f7e-1f2a3b4c5d6e',
  })
  @IsOptional()
  @Matches(new RegExp(TICKET_ID_PATTERN), { message: 'ticketId must be a UUID such as 0b7c4e0e-8d0c-4c3f-9f7e-1f2a3b4c5d6e' })
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
