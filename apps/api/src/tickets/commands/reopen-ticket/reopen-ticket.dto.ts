import type { ReopenTicket } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField, TextField } from '../shared/fields.js';

export class ReopenTicketDto extends CommandFields {
  @IdField('Who reopens it', 'elif', true)
  userId?: string;

  @TextField('Why', 'customer called back', 500)
  reason!: string;
}

export function toReopenTicket(dto: ReopenTicketDto): ReopenTicket {
  return { type: 'ReopenTicket', data: { userId: dto.userId ?? null, reason: dto.reason } };
}
