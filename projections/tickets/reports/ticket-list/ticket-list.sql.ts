import { DELAYS_AS_OF } from '../as-of/delays-as-of.sql.js';
import { QUERY_TIME_TICKETS, TICKETS_AS_OF } from '../as-of/tickets-as-of.sql.js';
import { OPENED_IN_PERIOD, TICKET_FACTS } from '../as-of/ticket-facts.sql.js';
import { QUERY_TIME_CELLS, settledCells, spanCtes } from '../unit-performance/unit-cells.sql.js';

/**
 * The list of tickets behind a report cell (the drill-down), one page of it with the count
 * of the whole list. Parameters: $1 asOf, $2 period from, $3 period to, $4 unit, $5 user,
 * $6 category, $7 channel, $8 priority, $9 status (in_pool, in_progress, on_hold, closed;
 * as of asOf), $10 column, $11 limit, $12 offset. A null filter filters nothing.
 *
 * - `units`: the cells of the unit performance report. $4 is required; with $5 the cell is
 *   the user's row (assignments in $4 that started in the period), else the unit's (its
 *   stints that started in the period); $6 narrows to a category row. $10 is one of the
 *   report's columns.
 * - `opened`: the KPI summary's and top-N's tickets, opened in the period; $4/$5 are the
 *   group's unit and user (current holder, or the last close's), $10 one of TICKET_LIST_OPENED_COLUMNS.
 *
 * Every page ends with the ticket id, so pages never overlap or skip a ticket.
 */

export const TICKET_LIST_SOURCES = ['units', 'opened'] as const;
export type TicketListSource = (typeof TICKET_LIST_SOURCES)[number];

export const TICKET_LIST_UNIT_COLUMNS = [
  'total',
  'delayed',
  'on_time',
  'pool_delayed',
  'in_pool',
  'in_progress',
  'routed_out',
  'closed',
] as const;
export const TICKET_LIST_OPENED_COLUMNS = [
  'volume',
  'on_time_response',
  'late_response',
  'pending_response',
  'sla_breached',
  'escalated',
  'reopened',
  'closed',
  'request_met',
  'fcr_system',
] as const;

export const TICKET_LIST_SORTS = [
  'opened_at',
  'age_s',
  'ticket_id',
  'category',
  'priority',
  'channel',
  'status',
  'unit_id',
  'closed_at',
] as const;
export type TicketListSort = (typeof TICKET_LIST_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** Which cells of the unit performance report a list shows: $10, one of its columns. */
const UNIT_COLUMN_FILTER = `CASE $10::text WHEN 'total' THEN true
                        WHEN 'delayed' THEN c.delayed
                        WHEN 'on_time' THEN NOT c.delayed
                        WHEN 'pool_delayed' THEN coalesce(c.pool_delayed, false)
                        ELSE c.status_in_unit = $10::text END`;

/**
 * The query-time tickets' cells with the ticket as of asOf, and the settled ones with the
 * ticket's settled state their spans carry (tables.ts ticketState): no ticket row is read.
 */
const UNITS_LISTED = `${spanCtes(
  [
    { table: 'stints', where: `$5::text IS NULL AND s.unit_id = $4::text` },
    { table: 'assignments', where: `$5::text IS NOT NULL AND s.unit_id = $4::text AND s.user_id = $5::text` },
  ],
  true,
)},
${DELAYS_AS_OF},
${QUERY_TIME_TICKETS},
${QUERY_TIME_CELLS},
settled_cells AS (
  ${settledCells([
    'sp.ticket_opened_at AS opened_at',
    'sp.ticket_channel AS channel',
    'sp.ticket_priority AS priority',
    'sp.ticket_status AS status',
    'sp.ticket_unit_id',
    'sp.ticket_user_id',
    'sp.ticket_closed_at AS closed_at',
  ])}
),
listed AS (
  SELECT ta.ticket_id, ta.opened_at, ta.channel, ta.category, ta.priority, ta.status, ta.unit_id,
         CASE WHEN ta.custody_state = 'closed' THEN ta.closed_by ELSE ta.holder END AS user_id, ta.closed_at,
         extract(epoch FROM $1::timestamptz - ta.opened_at)::float8 AS age_s,
         c.delayed, c.pool_delayed, c.status_in_unit, NULL::text AS response_state
    FROM query_time_cells c
    JOIN query_time_tickets ta ON ta.ticket_id = c.ticket_id
   WHERE ${UNIT_COLUMN_FILTER}
     AND ($6::text IS NULL OR ta.category = $6::text)
     AND ($7::text IS NULL OR ta.channel = $7::text)
     AND ($8::text IS NULL OR ta.priority = $8::text)
     AND ($9::text IS NULL OR ta.status = $9::text)
  UNION ALL
  SELECT c.ticket_id, c.opened_at, c.channel, c.category, c.priority, c.status, c.ticket_unit_id, c.ticket_user_id, c.closed_at,
         extract(epoch FROM $1::timestamptz - c.opened_at)::float8 AS age_s,
         c.delayed, c.pool_delayed, c.status_in_unit, NULL::text AS response_state
    FROM settled_cells c
   WHERE ${UNIT_COLUMN_FILTER}
     AND ($6::text IS NULL OR c.category = $6::text)
     AND ($7::text IS NULL OR c.channel = $7::text)
     AND ($8::text IS NULL OR c.priority = $8::text)
     AND ($9::text IS NULL OR c.status = $9::text)
)`;

const OPENED_LISTED = `${OPENED_IN_PERIOD},
${DELAYS_AS_OF},
${TICKETS_AS_OF},
${TICKET_FACTS},
listed AS (
  SELECT f.ticket_id, f.opened_at, f.channel, f.category, f.priority, f.status, f.unit_id, f.group_user_id AS user_id, f.closed_at,
         f.age_s, f.sla_breached AS delayed, NULL::boolean AS pool_delayed, NULL::text AS status_in_unit, f.response_state
    FROM ticket_facts f
   WHERE CASE $10::text WHEN 'volume' THEN true
                        WHEN 'on_time_response' THEN f.response_state = 'on_time'
                        WHEN 'late_response' THEN f.response_state = 'late'
                        WHEN 'pending_response' THEN f.response_state = 'pending'
                        WHEN 'sla_breached' THEN f.sla_breached
                        WHEN 'escalated' THEN f.escalated
                        WHEN 'reopened' THEN f.reopened
                        WHEN 'closed' THEN f.closed
                        WHEN 'request_met' THEN f.closed AND coalesce(f.request_met, false)
                        WHEN 'fcr_system' THEN f.fcr_system END
     AND ($4::text IS NULL OR f.unit_id = $4::text)
     AND ($5::text IS NULL OR f.group_user_id = $5::text)
     AND ($6::text IS NULL OR f.category = $6::text)
     AND ($7::text IS NULL OR f.channel = $7::text)
     AND ($8::text IS NULL OR f.priority = $8::text)
     AND ($9::text IS NULL OR f.status = $9::text)
)`;

/** The statement for a source and an order; `sort` and `order` come from the whitelists above. */
export function ticketListSql(source: TicketListSource, sort: TicketListSort, order: SortOrder): string {
  if (!(TICKET_LIST_SORTS as readonly string[]).includes(sort) || (order !== 'asc' && order !== 'desc')) {
    throw new Error(`not a ticket list order: ${sort} ${order}`);
  }
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  const orderBy = sort === 'ticket_id' ? `l.ticket_id ${direction}` : `l.${sort} ${direction} NULLS LAST, l.ticket_id ${direction}`;
  return `-- tickets behind a ${source === 'units' ? 'unit performance' : 'KPI summary'} cell, as of $1, sorted by ${sort} ${order}
WITH ${source === 'units' ? UNITS_LISTED : OPENED_LISTED},
page AS (
  SELECT l.*, row_number() OVER (ORDER BY ${orderBy}) AS rank
    FROM listed l
   ORDER BY ${orderBy}
   LIMIT $11::int OFFSET $12::int
)
-- One row even past the last page, so the total always comes back.
SELECT (SELECT count(*) FROM listed)::int AS total, p.*
  FROM (SELECT 1) AS one
  LEFT JOIN page p ON true
 ORDER BY p.rank`;
}

export interface TicketListRow {
  total: number;
  ticket_id: string | null;
  opened_at: Date;
  channel: string;
  category: string;
  priority: string;
  status: string;
  unit_id: string;
  /** the holder, or for a closed ticket the user who closed it */
  user_id: string | null;
  closed_at: Date | null;
  age_s: number;
  delayed: boolean;
  pool_delayed: boolean | null;
  status_in_unit: string | null;
  response_state: string | null;
  rank: string;
}
