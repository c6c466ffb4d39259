import { getJson, query, type Report } from '../api.js';
import type { ViewContext } from '../context.js';
import { h } from '../dom.js';
import { formatInstant } from '../format.js';
import { table, type Column } from '../table.js';

interface TicketItem {
  ticket_id: string;
  opened_at: string;
  channel: string;
  category: string;
  priority: string;
  status: string;
  unit_id: string;
  user_id: string | null;
  closed_at: string | null;
  delayed: boolean;
}

interface TicketListReport extends Report<TicketItem> {
  total: number;
  limit: number;
  offset: number;
}

const PAGE = 100;

/** The tickets behind a cell: exactly GET /reports/tickets for the cell, a page at a time. */
export async function ticketsView(context: ViewContext): Promise<HTMLElement[]> {
  const { labels, params } = context;
  const cell = {
    report: params.get('report'),
    unit: params.get('unit'),
    column: params.get('column'),
    user: params.get('user'),
    category: params.get('category'),
  };
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const path = `/reports/tickets?${query({ ...context.window(), ...cell, limit: PAGE, offset })}`;
  const report = await getJson<TicketListReport>(path);
  const zone = report.timeZone;
  const text = (key: keyof TicketItem & keyof typeof labels.tickets.columns): Column<TicketItem> => ({
    key,
    label: labels.tickets.columns[key],
    cell: (row) => String(row[key] ?? labels.none),
  });
  const columns: Column<TicketItem>[] = [
    {
      key: 'ticket_id',
      label: labels.tickets.columns.ticket_id,
      cell: (row) => h('a', { href: context.href(`/ticket/${row.ticket_id}`), class: 'ticket-link' }, row.ticket_id),
    },
    { key: 'opened_at', label: labels.tickets.columns.opened_at, cell: (row) => formatInstant(row.opened_at, zone, labels.none) },
    text('channel'),
    text('category'),
    text('priority'),
    text('status'),
    text('unit_id'),
    { key: 'user_id', label: labels.tickets.columns.user_id, cell: (row) => row.user_id ?? labels.none },
    { key: 'closed_at', label: labels.tickets.columns.closed_at, cell: (row) => formatInstant(row.closed_at, zone, labels.none) },
    { key: 'delayed', label: labels.tickets.columns.delayed, cell: (row) => (row.delayed ? labels.tickets.yes : labels.tickets.no) },
  ];
  const who = [cell.unit, cell.user, cell.category].filter((part) => part !== null).join(' / ');
  const names: Record<string, string> = cell.report === 'opened' ? labels.tickets.openedColumns : labels.units.columns;
  const columnLabel = cell.column === null ? null : (names[cell.column] ?? cell.column);
  const pager = h('nav', { class: 'pager', 'aria-label': labels.tickets.heading });
  if (offset > 0)
    pager.append(h('a', { href: context.href('/tickets', { ...cell, offset: Math.max(0, offset - PAGE) }) }, labels.tickets.previousPage));
  if (offset + PAGE < report.total)
    pager.append(h('a', { href: context.href('/tickets', { ...cell, offset: offset + PAGE }) }, labels.tickets.nextPage));
  return [
    h('p', { id: 'tickets-total' }, `${report.total} ${labels.tickets.total}`),
    table(labels, {
      id: 'tickets-table',
      caption: `${labels.tickets.heading} ${labels.tickets.of} ${who}: ${columnLabel ?? ''}`,
      columns,
      rows: report.rows,
      csvPath: path,
    }),
    pager,
  ];
}
