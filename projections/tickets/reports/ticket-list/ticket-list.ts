import { windowParams, type ReportDatabase, type ReportStatement, type ReportWindow } from '#read-model/reports/report-statement.js';
import { ticketListSql, type SortOrder, type TicketListRow, type TicketListSort, type TicketListSource } from './ticket-list.sql.js';

/** Which cell, which filters, which page. Null filters filter nothing. */
export interface TicketListRequest {
  source: TicketListSource;
  unit: string | null;
  user: string | null;
  category: string | null;
  channel: string | null;
  priority: string | null;
  status: string | null;
  column: string;
  sort: TicketListSort;
  order: SortOrder;
  limit: number;
  offset: number;
}

export interface TicketListItem {
  ticket_id: string;
  opened_at: Date;
  channel: string;
  category: string;
  priority: string;
  status: string;
  unit_id: string;
  user_id: string | null;
  closed_at: Date | null;
  age_s: number;
  delayed: boolean;
  pool_delayed: boolean | null;
  status_in_unit: string | null;
  response_state: string | null;
  links: { ticket: string; events: string };
}

export interface TicketListPage {
  total: number;
  items: TicketListItem[];
}

export const TICKET_LIST_COLUMNS = [
  'ticket_id',
  'opened_at',
  'channel',
  'category',
  'priority',
  'status',
  'unit_id',
  'user_id',
  'closed_at',
  'age_s',
  'delayed',
  'pool_delayed',
  'status_in_unit',
  'response_state',
] as const;

/** A ticket's detail and event log, where every listed ticket links to. */
export function ticketLinks(ticketId: string): TicketListItem['links'] {
  return { ticket: `/tickets/${ticketId}`, events: `/tickets/${ticketId}/events` };
}

export function ticketListStatement(window: ReportWindow, request: TicketListRequest): ReportStatement {
  return {
    sql: ticketListSql(request.source, request.sort, request.order),
    params: [
      ...windowParams(window),
      request.unit,
      request.user,
      request.category,
      request.channel,
      request.priority,
      request.status,
      request.column,
      request.limit,
      request.offset,
    ],
  };
}

/** A row of the page as listed; undefined for the one row that only carries the total (a page past the end). */
export function toTicketListItem({ total: _total, rank: _rank, ...row }: TicketListRow): TicketListItem | undefined {
  return row.ticket_id === null ? undefined : { ...row, ticket_id: row.ticket_id, links: ticketLinks(row.ticket_id) };
}

export async function ticketList(db: ReportDatabase, window: ReportWindow, request: TicketListRequest): Promise<TicketListPage> {
  const { sql, params } = ticketListStatement(window, request);
  const rows = await db.query<TicketListRow>(sql, params);
  const items = rows.map(toTicketListItem).filter((item): item is TicketListItem => item !== undefined);
  return { total: rows[0]?.total ?? 0, items };
}
