import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Roles, SessionReadable } from '../../access/access.decorators.js';
import { ApiErrors, type ErrorCodes } from '../../platform/errors/api-errors.decorator.js';
import { IsInstant } from '../commands/shared/command-fields.js';
import { ApiTicketIdParam, TicketIdParam } from '../ticket-id.js';
import { GetTicket, GetTicketLog, GetTicketStateAt, type TicketLog, type TicketStateAt } from './ticket-audit.queries.js';
import { TicketLogDto, TicketStateAtDto, TicketViewDto } from './ticket-view.dto.js';
import type { TicketView } from './ticket-view.js';

/** Revisions are 0-based integers; beyond this no stream reaches. */
const MAX_REVISION = 2 ** 31 - 1;

export class TicketLogQuery {
  @ApiPropertyOptional({ description: 'First revision to return (inclusive)', default: 0, minimum: 0, maximum: MAX_REVISION })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_REVISION)
  fromRevision?: number;

  @ApiPropertyOptional({ description: 'Events per page', default: 1000, minimum: 1, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  maxCount?: number;
}

export class TicketStateAtQuery {
  @ApiProperty({
    description: 'The instant of business time (occurredAt) to replay the stream to: ISO-8601 with Z or an offset',
    example: '2026-11-09T08:00:00Z',
  })
  @IsInstant()
  at!: string;
}

const READ_ERRORS = {
  400: ['VALIDATION_FAILED'],
  404: ['TICKET_NOT_FOUND'],
  503: ['EVENT_STORE_UNAVAILABLE'],
} as const satisfies ErrorCodes;

/** Audit: a ticket's state now, its full event log, and its state at any instant, by replay. */
@ApiTags('ticket audit')
@Controller('tickets')
export class TicketAuditController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @Roles('service', 'importer', 'analyst', 'auditor')
  @SessionReadable()
  @ApiOperation({ summary: 'The ticket’s current state, rebuilt from its stream' })
  @ApiTicketIdParam()
  @ApiOkResponse({ type: TicketViewDto, description: 'The state; `revision` is the value for If-Match' })
  @ApiErrors(READ_ERRORS)
  get(@TicketIdParam() id: string): Promise<TicketView> {
    return this.queryBus.execute(new GetTicket(id));
  }

  @Get(':id/events')
  @Roles('analyst', 'auditor')
  @SessionReadable()
  @ApiOperation({
    summary:
      'The ticket’s event log, a page at a time: each event with its metadata (actor, command, correlation, causation, occurredAt), ' +
      'recordedAt, revision, position',
  })
  @ApiTicketIdParam()
  @ApiOkResponse({ type: TicketLogDto })
  @ApiErrors(READ_ERRORS)
  events(@TicketIdParam() id: string, @Query() query: TicketLogQuery): Promise<TicketLog> {
    return this.queryBus.execute(new GetTicketLog(id, query.fromRevision ?? 0, query.maxCount ?? 1000));
  }

  @Get(':id/state')
  @Roles('analyst', 'auditor')
  @SessionReadable()
  @ApiOperation({ summary: 'The ticket’s state as it was at an instant (replay of the events that had occurred by then)' })
  @ApiTicketIdParam()
  @ApiOkResponse({ type: TicketStateAtDto })
  @ApiErrors({ ...READ_ERRORS, 404: ['TICKET_NOT_FOUND', 'TICKET_NOT_OPEN_YET'] })
  stateAt(@TicketIdParam() id: string, @Query() query: TicketStateAtQuery): Promise<TicketStateAt> {
    return this.queryBus.execute(new GetTicketStateAt(id, query.at));
  }
}
