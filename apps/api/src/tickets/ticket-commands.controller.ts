import { applyDecorators, Body, Controller, createParamDecorator, HttpCode, Post, Res, type ExecutionContext, type Type } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { TicketCommand } from '#ticketing';
import { ApiErrors, ApiIfMatch, BODY_ERRORS, mergeErrorCodes, type ErrorCodes } from '../platform/errors/api-errors.decorator.js';
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
import { parseIfMatch, refuseIfMatch } from './if-match.js';
import { TicketCommandResultDto } from './ticket-command-result.dto.js';
import { ApiTicketIdParam, canonicalTicketId, TicketIdParam } from './ticket-id.js';

/** `If-Match` as sent; not a `@Headers()` parameter, which OpenAPI would list as required. */
const IfMatch = createParamDecorator((_: unknown, execution: ExecutionContext): string | undefined => {
  const value = execution.switchToHttp().getRequest<Request>().headers['if-match'];
  return Array.isArray(value) ? value.join(',') : value;
});

/** What every ticket command may answer besides its own rules. */
const EVERY_COMMAND = {
  ...BODY_ERRORS,
  400: [...BODY_ERRORS[400], 'INVALID_IDEMPOTENCY_KEY'],
  403: ['BACKDATING_NOT_ALLOWED'],
  422: ['IDEMPOTENCY_KEY_REUSED', 'OCCURRED_AT_IN_FUTURE', 'OCCURRED_AT_TOO_EARLY', 'INVALID_OCCURRED_AT', 'INVALID_COMMAND'],
  503: ['TICKET_BUSY', 'TICKET_AHEAD_OF_CLOCK'],
} as const satisfies ErrorCodes;

/** …and every command on an existing ticket. */
const ON_A_TICKET = {
  400: ['INVALID_IF_MATCH'],
  404: ['TICKET_NOT_FOUND'],
  409: ['REVISION_MISMATCH'],
  422: ['OCCURRED_AT_BEFORE_LAST_EVENT'],
} as const satisfies ErrorCodes;

interface Endpoint {
  summary: string;
  body: Type;
  example: Record<string, unknown>;
  /** the endpoint's own codes (lifecycle rules) */
  errors: ErrorCodes;
}

/** A command on an existing ticket: POST /tickets/{id}/<verb>, 200 with the command's answer. */
function TicketCommandEndpoint({ summary, body, example, errors }: Endpoint): MethodDecorator {
  return applyDecorators(
    HttpCode(200),
    CommandEndpoint(),
    ApiOperation({ summary }),
    ApiTicketIdParam(),
    ApiIfMatch(),
    ApiBody({ type: body, examples: { example: { value: example } } }),
    ApiOkResponse({ type: TicketCommandResultDto }),
    ApiErrors(mergeErrorCodes(EVERY_COMMAND, ON_A_TICKET, errors)),
  );
}

const HOLDER_RULES = ['TICKET_CLOSED', 'TICKET_NOT_CLAIMED', 'NOT_THE_HOLDER'];

/** The commands of a ticket's lifecycle (DESIGN.md "The ticket stream"); each is one append. */
@ApiTags('ticket commands')
@Controller('tickets')
export class TicketCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandEndpoint()
  @ApiOperation({ summary: 'Open a ticket into a unit’s pool (optionally taken at once by the agent on the call)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'Not allowed: a new ticket has no revision (400 IF_MATCH_NOT_ALLOWED)' })
  @ApiBody({
    type: OpenTicketDto,
    examples: {
      pool: {
        summary: 'Into the front unit’s pool',
        value: { channel: 'phone', customer: 'cust-57', category: 'wrong-invoice', priority: 'normal', subject: 'Invoice charged twice', unitId: 'front' },
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
  @ApiErrors(mergeErrorCodes(EVERY_COMMAND, { 400: ['IF_MATCH_NOT_ALLOWED'], 409: ['TICKET_ALREADY_EXISTS'] }))
  async open(@Body() dto: OpenTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<TicketCommandResult> {
    refuseIfMatch(ifMatch);
    const id = dto.ticketId === undefined ? caller.commandId : canonicalTicketId(dto.ticketId);
    const result = await this.run(id, toOpenTicket(dto), dto, caller, undefined);
    response.location(`/tickets/${result.ticketId}`);
    return result;
  }

  @Post(':id/route')
  @TicketCommandEndpoint({
    summary: 'Route to another unit’s pool (triage of an unclaimed ticket, or by its holder)',
    body: RouteTicketDto,
    example: { toUnitId: 'billing', reason: 'wrong pool' },
    errors: { 422: ['TICKET_CLOSED', 'TICKET_ON_HOLD', 'USER_REQUIRED', 'NOT_THE_HOLDER', 'ROUTE_TO_SAME_UNIT'] },
  })
  route(@TicketIdParam() id: string, @Body() dto: RouteTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toRouteTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/claim')
  @TicketCommandEndpoint({
    summary: 'Claim from the pool; 409 TICKET_ALREADY_CLAIMED if someone else was first. A supervisor’s assignment (assignedBy) reassigns a held ticket',
    body: ClaimTicketDto,
    example: { userId: 'deniz' },
    errors: { 409: ['TICKET_ALREADY_CLAIMED'], 422: ['TICKET_CLOSED', 'TICKET_ON_HOLD'] },
  })
  claim(@TicketIdParam() id: string, @Body() dto: ClaimTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toClaimTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/release')
  @TicketCommandEndpoint({
    summary: 'Give the ticket back to the same unit’s pool',
    body: ReleaseTicketDto,
    example: { userId: 'deniz', reason: 'end of shift' },
    errors: { 422: [...HOLDER_RULES, 'TICKET_ON_HOLD'] },
  })
  release(@TicketIdParam() id: string, @Body() dto: ReleaseTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toReleaseTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/respond')
  @TicketCommandEndpoint({
    summary: 'A public reply to the customer, by the holder',
    body: RespondToTicketDto,
    example: { userId: 'deniz', solution: true },
    errors: { 422: [...HOLDER_RULES, 'TICKET_ON_HOLD'] },
  })
  respond(@TicketIdParam() id: string, @Body() dto: RespondToTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toRespondToTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/hold')
  @TicketCommandEndpoint({
    summary: 'Put on hold: pauses the response and resolution clocks',
    body: PutTicketOnHoldDto,
    example: { userId: 'deniz', reason: 'waiting for the customer’s invoice copy' },
    errors: { 422: [...HOLDER_RULES, 'TICKET_ON_HOLD'] },
  })
  hold(@TicketIdParam() id: string, @Body() dto: PutTicketOnHoldDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toPutTicketOnHold(dto), dto, caller, ifMatch);
  }

  @Post(':id/resume')
  @TicketCommandEndpoint({
    summary: 'Resume from hold: moves the open phases’ due times by the time on hold',
    body: ResumeTicketDto,
    example: { userId: 'deniz' },
    errors: { 422: [...HOLDER_RULES, 'TICKET_NOT_ON_HOLD'] },
  })
  resume(@TicketIdParam() id: string, @Body() dto: ResumeTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toResumeTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/reclassify')
  @TicketCommandEndpoint({
    summary: 'Change category and/or priority; recomputes the open phases’ due times',
    body: ReclassifyTicketDto,
    example: { userId: 'selin', category: 'refund', priority: 'high' },
    errors: { 422: ['TICKET_CLOSED', 'NOTHING_TO_RECLASSIFY'] },
  })
  reclassify(@TicketIdParam() id: string, @Body() dto: ReclassifyTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toReclassifyTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/escalate')
  @TicketCommandEndpoint({
    summary: 'Raise the escalation level (and optionally route in the same command)',
    body: EscalateTicketDto,
    example: { userId: 'elif', reason: 'customer asked for a manager', toUnitId: 'complaints-desk' },
    errors: { 422: ['TICKET_CLOSED', 'ESCALATION_LEVEL_NOT_HIGHER', 'TICKET_ON_HOLD', 'USER_REQUIRED', 'NOT_THE_HOLDER', 'ROUTE_TO_SAME_UNIT'] },
  })
  escalate(@TicketIdParam() id: string, @Body() dto: EscalateTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toEscalateTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/close')
  @TicketCommandEndpoint({
    summary: 'Close the current cycle',
    body: CloseTicketDto,
    example: { userId: 'deniz', resolution: 'resolved', requestMet: true },
    errors: { 422: [...HOLDER_RULES, 'USER_REQUIRED'] },
  })
  close(@TicketIdParam() id: string, @Body() dto: CloseTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toCloseTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/reopen')
  @TicketCommandEndpoint({
    summary: 'Reopen a closed ticket into the closing unit’s pool (a new cycle)',
    body: ReopenTicketDto,
    example: { userId: 'deniz', reason: 'the customer was charged again' },
    errors: { 422: ['TICKET_NOT_CLOSED'] },
  })
  reopen(@TicketIdParam() id: string, @Body() dto: ReopenTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toReopenTicket(dto), dto, caller, ifMatch);
  }

  @Post(':id/survey')
  @TicketCommandEndpoint({
    summary: 'Record the customer survey of the most recent close (one per close)',
    body: SurveyTicketDto,
    example: { score: 5, resolved: true, resolvedOnFirstContact: true, channel: 'sms', comment: 'quick and kind' },
    errors: { 422: ['TICKET_NEVER_CLOSED', 'CLOSE_ALREADY_SURVEYED'] },
  })
  survey(@TicketIdParam() id: string, @Body() dto: SurveyTicketDto, @CommandCaller() caller: Caller, @IfMatch() ifMatch?: string) {
    return this.run(id, toSurveyTicket(dto), dto, caller, ifMatch);
  }

  private run(id: string, command: TicketCommand, dto: CommandFields, caller: Caller, ifMatch: string | undefined): Promise<TicketCommandResult> {
    const expectedRevision = parseIfMatch(ifMatch);
    return this.commandBus.execute(
      new ExecuteTicketCommand(
        id,
        command,
        {
          commandId: caller.commandId,
          commandType: command.type,
          correlationId: caller.correlationId,
          causationId: caller.causationId ?? caller.commandId,
          caller: { service: caller.service, apiKeyId: caller.apiKeyId },
        },
        { occurredAt: dto.occurredAt, expectedRevision, mayBackdate: caller.mayBackdate },
      ),
    );
  }
}
