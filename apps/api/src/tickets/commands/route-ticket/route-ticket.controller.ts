import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { RouteTicketDto, toRouteTicket } from './route-ticket.dto.js';

/** POST /tickets/{id}/route */
@ApiTags('ticket commands')
@Controller('tickets')
export class RouteTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/route')
  @TicketCommandEndpoint({
    summary: 'Route to another unit’s pool (triage of an unclaimed ticket, or by its holder)',
    body: RouteTicketDto,
    example: { toUnitId: 'billing', reason: 'wrong pool' },
    errors: { 422: ['TICKET_CLOSED', 'TICKET_ON_HOLD', 'USER_REQUIRED', 'NOT_THE_HOLDER', 'ROUTE_TO_SAME_UNIT'] },
  })
  route(
    @TicketIdParam() id: string,
    @Body() dto: RouteTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toRouteTicket(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
