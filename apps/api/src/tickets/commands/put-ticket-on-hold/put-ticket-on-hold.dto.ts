import type { PutTicketOnHold } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField, TextField } from '../shared/fields.js';

export class PutTicketOnHoldDto extends CommandFields {
  @IdField('The holder', 'mehmet')
  userId!: string;

  @TextField('Why the clocks pause', 'waiting for the customer', 500)
  reason!: string;
}

export function toPutTicketOnHold(dto: PutTicketOnHoldDto): PutTicketOnHold {
  return { type: 'PutTicketOnHold', data: { userId: dto.userId, reason: dto.reason } };
}
