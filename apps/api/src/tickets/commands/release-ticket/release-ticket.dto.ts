import type { ReleaseTicket } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField, TextField } from '../shared/fields.js';

export class ReleaseTicketDto extends CommandFields {
  @IdField('The holder', 'emre')
  userId!: string;

  @TextField('Why it goes back to the pool', 'shift end', 500)
  reason!: string;
}

export function toReleaseTicket(dto: ReleaseTicketDto): ReleaseTicket {
  return { type: 'ReleaseTicket', data: { userId: dto.userId, reason: dto.reason } };
}
