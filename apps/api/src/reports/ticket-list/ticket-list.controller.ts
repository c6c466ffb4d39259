import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { RequestValidationError, type FieldError } from '../../platform/errors/api-error.js';
import { envelope, sendCsv, wantsCsv, type ReportEnvelope } from '../report-answer.js';
import { ReportRequests } from '../report-requests.js';
import { ticketList, TICKET_LIST_COLUMNS, type TicketListItem, type TicketListRequest } from './ticket-list.js';
import { TicketListQuery } from './ticket-list.dto.js';
import { TICKET_LIST_OPENED_COLUMNS, TICKET_LIST_UNIT_COLUMNS } from './ticket-list.sql.js';

type TicketListAnswer = ReportEnvelope & {
  cell: { report: string; unit: string | null; user: string | null; category: string | null; column: string };
  filters: { channel: string | null; priority: string | null; status: string | null };
  sort: string;
  order: string;
  limit: number;
  offset: number;
  total: number;
  rows: TicketListItem[];
};

/** The checks a DTO cannot make alone: which columns and parameters fit which report. */
function toRequest(query: TicketListQuery): TicketListRequest {
  const source = query.report ?? 'units';
  const errors: FieldError[] = [];
  const columns: readonly string[] = source === 'units' ? TICKET_LIST_UNIT_COLUMNS : TICKET_LIST_OPENED_COLUMNS;
  const column = query.column ?? columns[0];
  if (!columns.includes(column)) errors.push({ field: 'column', messages: [`column must be one of ${columns.join(', ')} for report=${source}`] });
  if (source === 'units' && query.unit === undefined) errors.push({ field: 'unit', messages: ['unit is required for report=units (the unit performance row)'] });
  if (source === 'units' && query.user !== undefined && column === 'pool_delayed') {
    errors.push({ field: 'column', messages: ['a user row has no pool_delayed column: a claim delay belongs to the pool'] });
  }
  if (errors.length > 0) throw new RequestValidationError(errors);
  return {
    source,
    unit: query.unit ?? null,
    user: query.user ?? null,
    category: query.category ?? null,
    channel: query.channel ?? null,
    priority: query.priority ?? null,
    status: query.status ?? null,
    column,
    sort: query.sort ?? 'opened_at',
    order: query.order ?? 'asc',
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  };
}

/** The drill-down: the tickets behind any cell of the unit performance report or the KPI summary. */
@ApiTags('reports')
@Roles('analyst')
@Controller('reports/tickets')
export class TicketListController {
  constructor(private readonly requests: ReportRequests) {}

  @Get()
  @ApiOperation({
    summary: 'The tickets behind a report cell, with filters, sort and pagination',
    description:
      'e.g. ?unit=billing&column=delayed, ?unit=billing&user=elif&column=closed, ?unit=billing&category=delivery, ?report=opened&category=refund&column=late_response. ' +
      'Each row links to the ticket’s detail (/tickets/{id}) and event log (/tickets/{id}/events). `total` counts the whole list.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'One page of the list with the total; CSV with Accept: text/csv' })
  async list(@Query() query: TicketListQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response): Promise<TicketListAnswer | string> {
    const request = toRequest(query);
    const window = await this.requests.window(query);
    const page = await ticketList(this.requests.db, window, request);
    if (wantsCsv(accept)) {
      res.setHeader('Report-Total', String(page.total));
      const rows = page.items.map(({ links, ...row }) => ({ ...row, ticket_url: links.ticket, events_url: links.events }));
      return sendCsv(res, 'tickets', window, [...TICKET_LIST_COLUMNS, 'ticket_url', 'events_url'], rows);
    }
    return {
      ...envelope('tickets', window),
      cell: { report: request.source, unit: request.unit, user: request.user, category: request.category, column: request.column },
      filters: { channel: request.channel, priority: request.priority, status: request.status },
      sort: request.sort,
      order: request.order,
      limit: request.limit,
      offset: request.offset,
      total: page.total,
      rows: page.items,
    };
  }
}
