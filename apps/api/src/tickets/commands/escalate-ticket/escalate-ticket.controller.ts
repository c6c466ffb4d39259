import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { EscalateTicketDto, toEscalateTicket } from './escalate-ticket.dto.js';

/** POST /tickets/{id}/escalate */
@ApiTags('ticket commands')
@Controller('tickets')
export class EscalateTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/escalate')
  @TicketCommandEndpoint({
    summary: 'Raise the escalation level (and optionally route in the same command)',
    body: EscalateTicketDto,
    example: { userId: 'elif', reason: 'customer asked for a manager', toUnitId: 'complaints-desk' },
    errors: {
      422: ['TICKET_CLOSED', 'ESCALATION_LEVEL_NOT_HIGHER', 'TICKET_ON_HOLD', 'USER_REQUIRED', 'NOT_THE_HOLDER', 'ROUTE_TO_SAME_UNIT'],
    },
  })
  escalate(
    @TicketIdParam() id: string,
    @Body() dto: EscalateTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toEscalateTicket(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
