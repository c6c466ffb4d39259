import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { ReclassifyTicketDto, toReclassifyTicket } from './reclassify-ticket.dto.js';

/** POST /tickets/{id}/reclassify */
@ApiTags('ticket commands')
@Controller('tickets')
export class ReclassifyTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/reclassify')
  @TicketCommandEndpoint({
    summary: 'Change category and/or priority; recomputes the open phases’ due times',
    body: ReclassifyTicketDto,
    example: { userId: 'selin', category: 'refund', priority: 'high' },
    errors: { 422: ['TICKET_CLOSED', 'NOTHING_TO_RECLASSIFY'] },
  })
  reclassify(
    @TicketIdParam() id: string,
    @Body() dto: ReclassifyTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toReclassifyTicket(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
