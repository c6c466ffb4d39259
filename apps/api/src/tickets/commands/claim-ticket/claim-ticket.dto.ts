import type { ClaimTicket } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField } from '../shared/fields.js';

export class ClaimTicketDto extends CommandFields {
  @IdField('The user who takes the ticket', 'deniz')
  userId!: string;

  @IdField('A supervisor assigning it; then a held ticket is released from its holder and claimed in one command', 'supervisor-1', true)
  assignedBy?: string;
}

export function toClaimTicket(dto: ClaimTicketDto): ClaimTicket {
  return { type: 'ClaimTicket', data: { userId: dto.userId, assignedBy: dto.assignedBy ?? null } };
}
