import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { SurveyTicketDto, toSurveyTicket } from './survey-ticket.dto.js';

/** POST /tickets/{id}/survey */
@ApiTags('ticket commands')
@Controller('tickets')
export class SurveyTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/survey')
  @TicketCommandEndpoint({
    summary: 'Record the customer survey of the most recent close (one per close)',
    body: SurveyTicketDto,
    example: { score: 5, resolved: true, resolvedOnFirstContact: true, channel: 'sms', comment: 'quick and kind' },
    errors: { 422: ['TICKET_NEVER_CLOSED', 'CLOSE_ALREADY_SURVEYED'] },
  })
  survey(
    @TicketIdParam() id: string,
    @Body() dto: SurveyTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toSurveyTicket(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
