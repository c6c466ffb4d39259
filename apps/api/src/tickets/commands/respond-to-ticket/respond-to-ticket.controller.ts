import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { HOLDER_RULES, TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { RespondToTicketDto, toRespondToTicket } from './respond-to-ticket.dto.js';

/** POST /tickets/{id}/respond */
@ApiTags('ticket commands')
@Controller('tickets')
export class RespondToTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/respond')
  @TicketCommandEndpoint({
    summary: 'A public reply to the customer, by the holder',
    body: RespondToTicketDto,
    example: { userId: 'deniz', solution: true },
    errors: { 422: [...HOLDER_RULES, 'TICKET_ON_HOLD'] },
  })
  respond(
    @TicketIdParam() id: string,
    @Body() dto: RespondToTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toRespondToTicket(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
