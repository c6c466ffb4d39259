import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { TicketIdParam } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { ExpectedRevision } from '../shared/if-match.js';
import { HOLDER_RULES, TicketCommandEndpoint } from '../shared/ticket-command-endpoint.js';
import { ResumeTicketDto, toResumeTicket } from './resume-ticket.dto.js';

/** POST /tickets/{id}/resume */
@ApiTags('ticket commands')
@Controller('tickets')
export class ResumeTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post(':id/resume')
  @TicketCommandEndpoint({
    summary: 'Resume from hold: moves the open phases’ due times by the time on hold',
    body: ResumeTicketDto,
    example: { userId: 'deniz' },
    errors: { 422: [...HOLDER_RULES, 'TICKET_NOT_ON_HOLD'] },
  })
  resume(
    @TicketIdParam() id: string,
    @Body() dto: ResumeTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @ExpectedRevision() expectedRevision: number | undefined,
  ): Promise<TicketCommandResult> {
    return this.pipeline.run(id, toResumeTicket(dto), origin, { occurredAt: dto.occurredAt, expectedRevision });
  }
}
