import { applyDecorators, HttpCode, type Type } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '#api/access/access.decorators.js';
import { Idempotent } from '#api/idempotency/idempotent.decorator.js';
import { ApiErrors, ApiIfMatch, BODY_ERRORS, mergeErrorCodes, type ErrorCodes } from '#api/platform/errors/api-errors.decorator.js';
import { ApiTicketIdParam } from '../../ticket-id.js';
import { TicketCommandResultDto } from './ticket-command-result.dto.js';

/** What every ticket command may answer besides its own rules. */
export const EVERY_COMMAND = {
  ...BODY_ERRORS,
  400: [...BODY_ERRORS[400], 'INVALID_IDEMPOTENCY_KEY'],
  403: ['BACKDATING_NOT_ALLOWED'],
  // REFERENCE_UNKNOWN: in strict mode (REFERENCE_MODE), a unit, user, category, priority, channel or tier nobody defined
  422: [
    'IDEMPOTENCY_KEY_REUSED',
    'OCCURRED_AT_IN_FUTURE',
    'OCCURRED_AT_TOO_EARLY',
    'INVALID_OCCURRED_AT',
    'INVALID_COMMAND',
    'REFERENCE_UNKNOWN',
  ],
  503: ['TICKET_BUSY', 'TICKET_AHEAD_OF_CLOCK', 'EVENT_STORE_UNAVAILABLE'],
} as const satisfies ErrorCodes;

/** …and every command on an existing ticket. */
const ON_A_TICKET = {
  400: ['INVALID_IF_MATCH'],
  404: ['TICKET_NOT_FOUND'],
  409: ['REVISION_MISMATCH'],
  422: ['OCCURRED_AT_BEFORE_LAST_EVENT'],
} as const satisfies ErrorCodes;

/** The lifecycle rules of the commands a ticket's holder gives. */
export const HOLDER_RULES = ['TICKET_CLOSED', 'TICKET_NOT_CLAIMED', 'NOT_THE_HOLDER'] as const;

/** Ticket commands are for services and importers (admin always may), and honour Idempotency-Key. */
export const CommandEndpoint = (): MethodDecorator => applyDecorators(Roles('service', 'importer'), Idempotent());

export interface TicketCommandEndpointOptions {
  summary: string;
  body: Type;
  example: Record<string, unknown>;
  /** the endpoint's own codes (its lifecycle rules) */
  errors: ErrorCodes;
}

/** A command on an existing ticket: `POST /tickets/{id}/<verb>`, 200 with the command's answer, documented once here. */
export function TicketCommandEndpoint({ summary, body, example, errors }: TicketCommandEndpointOptions): MethodDecorator {
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
