import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, mergeErrorCodes } from '#api/platform/errors/api-errors.decorator.js';
import { TicketCommandPipeline, type CommandOrigin, type TicketCommandResult } from '../../pipeline/ticket-command-pipeline.js';
import { canonicalTicketId } from '../../ticket-id.js';
import { CommandOriginOf } from '../shared/command-origin.js';
import { NoIfMatch } from '../shared/if-match.js';
import { CommandEndpoint, EVERY_COMMAND } from '../shared/ticket-command-endpoint.js';
import { TicketCommandResultDto } from '../shared/ticket-command-result.dto.js';
import { OpenTicketDto, toOpenTicket } from './open-ticket.dto.js';

/** POST /tickets: a new ticket in a unit's pool; 201 with Location. */
@ApiTags('ticket commands')
@Controller('tickets')
export class OpenTicketController {
  constructor(private readonly pipeline: TicketCommandPipeline) {}

  @Post()
  @CommandEndpoint()
  @ApiOperation({ summary: 'Open a ticket into a unit’s pool (optionally taken at once by the agent on the call)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'Not allowed: a new ticket has no revision (400 IF_MATCH_NOT_ALLOWED)' })
  @ApiBody({
    type: OpenTicketDto,
    examples: {
      pool: {
        summary: 'Into the front unit’s pool',
        value: {
          channel: 'phone',
          customer: 'cust-57',
          category: 'wrong-invoice',
          priority: 'normal',
          subject: 'Invoice charged twice',
          unitId: 'front',
        },
      },
      onTheCall: {
        summary: 'Taken at once by the agent on the call',
        value: {
          ticketId: '0b7c4e0e-8d0c-4c3f-9f7e-1f2a3b4c5d6e',
          channel: 'phone',
          customer: 'cust-57',
          category: 'wrong-invoice',
          priority: 'normal',
          subject: 'Invoice charged twice',
          unitId: 'front',
          claimBy: 'deniz',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: TicketCommandResultDto, headers: { Location: { description: '/tickets/{id}', schema: { type: 'string' } } } })
  @ApiErrors(mergeErrorCodes(EVERY_COMMAND, { 400: ['IF_MATCH_NOT_ALLOWED'], 409: ['TICKET_ALREADY_EXISTS'], 422: ['USER_NOT_IN_UNIT'] }))
  async open(
    @Body() dto: OpenTicketDto,
    @CommandOriginOf() origin: CommandOrigin,
    @NoIfMatch() _noIfMatch: undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TicketCommandResult> {
    // Without a client-chosen id the ticket takes the command's: a retry opens the same ticket.
    const id = dto.ticketId === undefined ? origin.envelope.commandId : canonicalTicketId(dto.ticketId);
    const result = await this.pipeline.run(id, toOpenTicket(dto), origin, { occurredAt: dto.occurredAt });
    response.location(`/tickets/${result.ticketId}`);
    return result;
  }
}
