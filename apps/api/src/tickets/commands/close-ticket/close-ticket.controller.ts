import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { HOLDER_RULES, TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { CloseTicketDto, toCloseTicket } from './close-ticket.dto.js';

/** POST /tickets/{id}/close */
@ApiTags('ticket commands')
@Controller('tickets')
export class CloseTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/close')
  @TicketCommandEndpoint({
    summary: 'Close the current cycle',
    body: CloseTicketDto,
    example: { userId: 'deniz', resolution: 'resolved', requestMet: true },
    errors: { 422: [...HOLDER_RULES, 'USER_REQUIRED'] },
  })
  close(
    @TicketIdParam() id: string,
    @Body() dto: CloseTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toCloseTicket(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
