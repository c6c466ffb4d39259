import type { PutTicketOnHold } from '#ticketing';
import { CommandFields } from '../command-fields.js';
import { IdField, TextField } from '../fields.js';

export class PutTicketOnHoldDto extends CommandFields {
  @IdField('The holder', 'mehmet')
  userId!: string;

  @TextField('Why the clocks pause', 'waiting for the customer', 500)
  reason!: string;
}

export function toPutTicketOnHold(dto: PutTicketOnHoldDto): PutTicketOnHold {
  return { type: 'PutTicketOnHold', data: { userId: dto.userId, reason: dto.reason } };
}
