import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { HOLDER_RULES, TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { PutTicketOnHoldDto, toPutTicketOnHold } from './put-ticket-on-hold.dto.js';

/** POST /tickets/{id}/hold */
@ApiTags('ticket commands')
@Controller('tickets')
export class PutTicketOnHoldController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/hold')
  @TicketCommandEndpoint({
    summary: 'Put on hold: pauses the response and resolution clocks',
    body: PutTicketOnHoldDto,
    example: { userId: 'deniz', reason: 'waiting for the customer’s invoice copy' },
    errors: { 422: [...HOLDER_RULES, 'TICKET_ON_HOLD'] },
  })
  hold(
    @TicketIdParam() id: string,
    @Body() dto: PutTicketOnHoldDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toPutTicketOnHold(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
