import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { ClaimTicketDto, toClaimTicket } from './claim-ticket.dto.js';

/** POST /tickets/{id}/claim */
@ApiTags('ticket commands')
@Controller('tickets')
export class ClaimTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/claim')
  @TicketCommandEndpoint({
    summary:
      'Claim from the pool; 409 TICKET_ALREADY_CLAIMED if someone else was first. A supervisor’s assignment (assignedBy) ' +
      'reassigns a held ticket',
    body: ClaimTicketDto,
    example: { userId: 'deniz' },
    errors: { 409: ['TICKET_ALREADY_CLAIMED'], 422: ['TICKET_CLOSED', 'TICKET_ON_HOLD', 'USER_NOT_IN_UNIT', 'USER_NOT_SUPERVISOR'] },
  })
  claim(
    @TicketIdParam() id: string,
    @Body() dto: ClaimTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toClaimTicket(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
