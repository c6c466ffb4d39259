import type { ReclassifyTicket } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField } from '../shared/fields.js';

export class ReclassifyTicketDto extends CommandFields {
  @IdField('Who reclassifies it', 'selin', true)
  userId?: string;

  @IdField('The new category', 'refund', true)
  category?: string;

  @IdField('The new priority', 'high', true)
  priority?: string;
}

export function toReclassifyTicket(dto: ReclassifyTicketDto): ReclassifyTicket {
  return { type: 'ReclassifyTicket', data: { userId: dto.userId ?? null, category: dto.category, priority: dto.priority } };
}
