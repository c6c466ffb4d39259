import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles, SessionReadable } from '../../access/access.decorators.js';
import { RequestValidationError, type FieldError } from '#platform';
import { boolean, instant, integer, nullable, number, oneOf, record, ReportAnswers, text } from '../report-openapi.js';
import { ReportRequests } from '../report-requests.js';
import {
  ticketListStatement,
  toTicketListItem,
  TICKET_LIST_COLUMNS,
  type TicketListRequest,
} from '#projections/tickets/reports/ticket-list/ticket-list.js';
import { TIME_HEAD, timeOf } from '../report-time.dto.js';
import { MAX_OFFSET, MAX_PAGE, TICKET_STATUSES, TicketListQuery } from './ticket-list.dto.js';
import {
  TICKET_LIST_OPENED_COLUMNS,
  TICKET_LIST_SORTS,
  TICKET_LIST_SOURCES,
  TICKET_LIST_UNIT_COLUMNS,
  type TicketListRow,
} from '#projections/tickets/reports/ticket-list/ticket-list.sql.js';

/** The checks a DTO cannot make alone: which columns and parameters fit which report. */
function toRequest(query: TicketListQuery): TicketListRequest {
  const source = query.report ?? 'units';
  const errors: FieldError[] = [];
  const columns: readonly string[] = source === 'units' ? TICKET_LIST_UNIT_COLUMNS : TICKET_LIST_OPENED_COLUMNS;
  const column = query.column ?? columns[0];
  if (!columns.includes(column))
    errors.push({ field: 'column', messages: [`column must be one of ${columns.join(', ')} for report=${source}`] });
  if (source === 'units' && query.unit === undefined)
    errors.push({ field: 'unit', messages: ['unit is required for report=units (the unit performance row)'] });
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

const LIST_ITEM = record({
  ticket_id: { type: 'string', format: 'uuid' },
  opened_at: instant,
  channel: text,
  category: text,
  priority: text,
  status: oneOf(TICKET_STATUSES),
  unit_id: text,
  user_id: { ...nullable(text), description: 'The holder, or for a closed ticket the user who closed it; null in a pool' },
  closed_at: nullable(instant),
  age_s: number,
  delayed: { ...boolean, description: 'units: the cell’s delayed flag; opened: the SLA was breached' },
  pool_delayed: { ...nullable(boolean), description: 'units, a unit row: a claim delay of its pool; null otherwise' },
  status_in_unit: {
    ...nullable(oneOf(['in_pool', 'in_progress', 'routed_out', 'closed'])),
    description: 'units: the ticket’s status as the row’s unit sees it; null for opened',
  },
  response_state: { ...nullable(oneOf(['on_time', 'late', 'pending'])), description: 'opened: the first response; null for units' },
  links: record({ ticket: text, events: text }),
});

/** A listed ticket as a CSV record: its links as two columns. */
function csvRecord(row: TicketListRow): object | undefined {
  const item = toTicketListItem(row);
  if (item === undefined) return undefined;
  const { links, ...fields } = item;
  return { ...fields, ticket_url: links.ticket, events_url: links.events };
}

/** The drill-down: the tickets behind any cell of the unit performance report or the KPI summary. */
@ApiTags('reports')
@Roles('analyst')
// Every report is a GET the dashboard's session may make.
@SessionReadable()
@Controller('reports/tickets')
export class TicketListController {
  constructor(private readonly requests: ReportRequests) {}

  @Get()
  @ApiOperation({
    summary: 'The tickets behind a report cell, with filters, sort and pagination',
    description:
      'e.g. ?unit=billing&column=delayed, ?unit=billing&user=elif&column=closed, ?unit=billing&category=delivery, ' +
      '?report=opened&category=refund&column=late_response. ' +
      'Each row links to the ticket’s detail (/tickets/{id}) and event log (/tickets/{id}/events). ' +
      '`total` counts the whole list (CSV: the Report-Total header). ' +
      `A page holds at most ${MAX_PAGE} tickets and starts at most ${MAX_OFFSET} into the list: ` +
      `narrow the period or the filters to reach further.`,
  })
  @ReportAnswers({
    report: 'tickets',
    description: 'One page of the list with the total',
    head: {
      cell: record({
        report: oneOf(TICKET_LIST_SOURCES),
        unit: nullable(text),
        user: nullable(text),
        category: nullable(text),
        column: text,
      }),
      filters: record({ channel: nullable(text), priority: nullable(text), status: nullable(oneOf(TICKET_STATUSES)) }),
      sort: oneOf(TICKET_LIST_SORTS),
      order: oneOf(['asc', 'desc']),
      limit: integer,
      offset: integer,
      total: integer,
      ...TIME_HEAD,
    },
    row: LIST_ITEM,
  })
  async list(@Query() query: TicketListQuery, @Headers('accept') accept: string | undefined, @Res() res: Response): Promise<void> {
    const request = toRequest(query);
    // Every row carries the total (one row even past the last page): the first gives it before the answer starts.
    const total = (first: TicketListRow | undefined): number => first?.total ?? 0;
    await this.requests.answer<TicketListRow>(query, accept, res, {
      report: 'tickets',
      statement: (window) => ticketListStatement(window, request),
      csvColumns: [...TICKET_LIST_COLUMNS, 'ticket_url', 'events_url'],
      head: (first) => ({
        cell: { report: request.source, unit: request.unit, user: request.user, category: request.category, column: request.column },
        filters: { channel: request.channel, priority: request.priority, status: request.status },
        sort: request.sort,
        order: request.order,
        limit: request.limit,
        offset: request.offset,
        total: total(first),
        ...timeOf(query).head,
      }),
      csvHeaders: (first) => ({ 'Report-Total': String(total(first)), ...timeOf(query).csvHeaders }),
      json: toTicketListItem,
      csv: csvRecord,
    });
  }
}
