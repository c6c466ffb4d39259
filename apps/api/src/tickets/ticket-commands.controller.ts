import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { TicketCommand } from '../../../../libs/ticketing/src/index.js';
import { CommandCaller, CommandEndpoint, type Caller } from './command-caller.js';
import { ClaimTicketDto, toClaimTicket } from './commands/claim-ticket/claim-ticket.dto.js';
import { CloseTicketDto, toCloseTicket } from './commands/close-ticket/close-ticket.dto.js';
import type { CommandFields } from './commands/command-fields.js';
import { EscalateTicketDto, toEscalateTicket } from './commands/escalate-ticket/escalate-ticket.dto.js';
import { OpenTicketDto, toOpenTicket } from './commands/open-ticket/open-ticket.dto.js';
import { PutTicketOnHoldDto, toPutTicketOnHold } from './commands/put-ticket-on-hold/put-ticket-on-hold.dto.js';
import { ReclassifyTicketDto, toReclassifyTicket } from './commands/reclassify-ticket/reclassify-ticket.dto.js';
import { ReleaseTicketDto, toReleaseTicket } from './commands/release-ticket/release-ticket.dto.js';
import { ReopenTicketDto, toReopenTicket } from './commands/reopen-ticket/reopen-ticket.dto.js';
import { RespondToTicketDto, toRespondToTicket } from './commands/respond-to-ticket/respond-to-ticket.dto.js';
import { ResumeTicketDto, toResumeTicket } from './commands/resume-ticket/resume-ticket.dto.js';
import { RouteTicketDto, toRouteTicket } from './commands/route-ticket/route-ticket.dto.js';
import { SurveyTicketDto, toSurveyTicket } from './commands/survey-ticket/survey-ticket.dto.js';
import { ExecuteTicketCommand, type TicketCommandResult } from './execute-ticket-command.js';
import { TicketCommandResultDto } from './ticket-command-result.dto.js';
import { parseIfMatch } from './if-match.js';

const ticketId = new ParseUUIDPipe({ version: undefined });

/** The commands of a ticket's lifecycle (DESIGN.md "The ticket stream"); each is one append. */
@ApiTags('ticket commands')
@Controller('tickets')
export class TicketCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandEndpoint()
  @ApiOperation({ summary: 'Open a ticket into a unit’s pool (optionally taken at once by the agent on the call)' })
  @ApiCreatedResponse({ type: TicketCommandResultDto })
  async open(@Body() dto: OpenTicketDto, @CommandCaller() caller: Caller, @Res({ passthrough: true }) response: Response): Promise<TicketCommandResult> {
    const id = dto.ticketId ?? caller.commandId;
    const result = await this.run(id, toOpenTicket(dto), dto, caller, undefined);
    response.location(`/tickets/${result.ticketId}`);
    return result;
  }

  @Post(':id/route')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'Route to another unit’s pool (triage of an unclaimed ticket, or by its holder)' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  route(@Param('id', ticketId) id: string, @Body() dto: RouteTicketDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toRouteTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'Claim from the pool; 409 TICKET_ALREADY_CLAIMED if someone else was first' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  claim(@Param('id', ticketId) id: string, @Body() dto: ClaimTicketDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toClaimTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/release')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'Give the ticket back to the same unit’s pool' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  release(@Param('id', ticketId) id: string, @Body() dto: ReleaseTicketDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toReleaseTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/respond')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'A public reply to the customer, by the holder' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  respond(@Param('id', ticketId) id: string, @Body() dto: RespondToTicketDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toRespondToTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/hold')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'Put on hold: pauses the response and resolution clocks' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  hold(@Param('id', ticketId) id: string, @Body() dto: PutTicketOnHoldDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toPutTicketOnHold(dto), dto, caller, ifMatch);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'Resume from hold: moves the open phases’ due times by the time on hold' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  resume(@Param('id', ticketId) id: string, @Body() dto: ResumeTicketDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toResumeTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/reclassify')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'Change category and/or priority; recomputes the open phases’ due times' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  reclassify(@Param('id', ticketId) id: string, @Body() dto: ReclassifyTicketDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toReclassifyTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/escalate')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'Raise the escalation level (and optionally route in the same command)' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  escalate(@Param('id', ticketId) id: string, @Body() dto: EscalateTicketDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toEscalateTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/close')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'Close the current cycle' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  close(@Param('id', ticketId) id: string, @Body() dto: CloseTicketDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toCloseTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'Reopen a closed ticket into the closing unit’s pool (a new cycle)' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  reopen(@Param('id', ticketId) id: string, @Body() dto: ReopenTicketDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toReopenTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/survey')
  @HttpCode(200)
  @CommandEndpoint()
  @ApiOperation({ summary: 'Record the customer survey of the most recent close (one per close)' })
  @ApiOkResponse({ type: TicketCommandResultDto })
  survey(@Param('id', ticketId) id: string, @Body() dto: SurveyTicketDto, @CommandCaller() caller: Caller, @Headers('if-match') ifMatch?: string) {
    return this.run(id, toSurveyTicket(dto), dto, caller, ifMatch);
  }

  private run(id: string, command: TicketCommand, dto: CommandFields, caller: Caller, ifMatch: string | undefined): Promise<TicketCommandResult> {
    const userId = 'userId' in command.data && typeof command.data.userId === 'string' ? command.data.userId : null;
    return this.commandBus.execute(
      new ExecuteTicketCommand(
        id,
        command,
        {
          commandId: caller.commandId,
          commandType: command.type,
          correlationId: caller.correlationId,
          causationId: caller.causationId ?? caller.commandId,
          actor: { service: caller.service, apiKeyId: caller.apiKeyId, userId },
        },
        { occurredAt: dto.occurredAt, expectedRevision: parseIfMatch(ifMatch), mayBackdate: caller.mayBackdate },
      ),
    );
  }
}
