import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { HOLDER_RULES, TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { ReleaseTicketDto, toReleaseTicket } from './release-ticket.dto.js';

/** POST /tickets/{id}/release */
@ApiTags('ticket commands')
@Controller('tickets')
export class ReleaseTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/release')
  @TicketCommandEndpoint({
    summary: 'Give the ticket back to the same unit’s pool',
    body: ReleaseTicketDto,
    example: { userId: 'deniz', reason: 'end of shift' },
    errors: { 422: [...HOLDER_RULES, 'TICKET_ON_HOLD'] },
  })
  release(
    @TicketIdParam() id: string,
    @Body() dto: ReleaseTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toReleaseTicket(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
