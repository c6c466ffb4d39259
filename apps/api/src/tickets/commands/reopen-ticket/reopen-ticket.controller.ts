import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { ReopenTicketDto, toReopenTicket } from './reopen-ticket.dto.js';

/** POST /tickets/{id}/reopen */
@ApiTags('ticket commands')
@Controller('tickets')
export class ReopenTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/reopen')
  @TicketCommandEndpoint({
    summary: 'Reopen a closed ticket into the closing unit’s pool (a new cycle)',
    body: ReopenTicketDto,
    example: { userId: 'deniz', reason: 'the customer was charged again' },
    errors: { 422: ['TICKET_NOT_CLOSED'] },
  })
  reopen(
    @TicketIdParam() id: string,
    @Body() dto: ReopenTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toReopenTicket(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
