import type { RouteTicket } from '#ticketing';
import { CommandFields } from '../shared/command-fields.js';
import { IdField, TextField } from '../shared/fields.js';

export class RouteTicketDto extends CommandFields {
  @IdField('The unit whose pool receives the ticket', 'billing')
  toUnitId!: string;

  @TextField('Why it moves', 'wrong pool', 500)
  reason!: string;

  @IdField('The holder, when the ticket is held (only the holder routes a held ticket)', 'selin', true)
  userId?: string;
}

export function toRouteTicket(dto: RouteTicketDto): RouteTicket {
  return { type: 'RouteTicket', data: { toUnitId: dto.toUnitId, reason: dto.reason, userId: dto.userId ?? null } };
}
