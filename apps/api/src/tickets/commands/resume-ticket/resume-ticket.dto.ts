import type { ResumeTicket } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField } from '../shared/fields.js';

export class ResumeTicketDto extends CommandFields {
  @IdField('The holder', 'mehmet')
  userId!: string;
}

export function toResumeTicket(dto: ResumeTicketDto): ResumeTicket {
  return { type: 'ResumeTicket', data: { userId: dto.userId } };
}
