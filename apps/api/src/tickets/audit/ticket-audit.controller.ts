import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { Roles } from '../../access/access.decorators.js';
import { GetTicket, GetTicketLog, GetTicketStateAt, type TicketLog, type TicketStateAt } from './ticket-audit.queries.js';
import type { TicketView } from './ticket-view.js';

const ticketId = new ParseUUIDPipe();

export class TicketLogQuery {
  @ApiPropertyOptional({ description: 'First revision to return (inclusive)', default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  fromRevision?: number;

  @ApiPropertyOptional({ description: 'Events per page', default: 1000, minimum: 1, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;
}

export class TicketStateAtQuery {
  @ApiProperty({ description: 'The instant (ISO-8601) of business time (occurredAt) to replay the stream to', example: '2026-11-09T08:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  at!: string;
}

/** Audit: a ticket's state now, its full event log, and its state at any instant, by replay. */
@ApiTags('ticket audit')
@Controller('tickets')
export class TicketAuditController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @Roles('service', 'importer', 'analyst', 'auditor')
  @ApiOperation({ summary: 'The ticket’s current state, rebuilt from its stream' })
  @ApiOkResponse({ description: 'The state; `revision` is the value for If-Match' })
  get(@Param('id', ticketId) id: string): Promise<TicketView> {
    return this.queryBus.execute(new GetTicket(id));
  }

  @Get(':id/events')
  @Roles('analyst', 'auditor')
  @ApiOperation({ summary: 'The ticket’s event log with metadata: actor, command, correlation, causation, occurredAt, recordedAt, revision, position' })
  events(@Param('id', ticketId) id: string, @Query() query: TicketLogQuery): Promise<TicketLog> {
    return this.queryBus.execute(new GetTicketLog(id, query.fromRevision ?? 0, query.limit ?? 1000));
  }

  @Get(':id/state')
  @Roles('auditor')
  @ApiOperation({ summary: 'The ticket’s state as it was at an instant (replay of the events that had occurred by then)' })
  stateAt(@Param('id', ticketId) id: string, @Query() query: TicketStateAtQuery): Promise<TicketStateAt> {
    return this.queryBus.execute(new GetTicketStateAt(id, query.at));
  }
}
