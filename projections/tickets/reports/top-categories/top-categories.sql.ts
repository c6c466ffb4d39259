import { DELAYS_AS_OF } from '../as-of/delays-as-of.sql.js';
import { TICKETS_AS_OF } from '../as-of/tickets-as-of.sql.js';
import { ON_TIME_RESPONSE_PCT, OPENED_IN_PERIOD, TICKET_FACTS } from '../as-of/ticket-facts.sql.js';

/**
 * Top N categories (KPIS.md): the current categories (as of asOf) of the tickets opened in
 * the period, ranked by volume, with on-time response % and request-met % as in the KPI
 * summary. Ties rank by category name. Parameters: $1 asOf, $2 period from, $3 period to,
 * $4 N.
 */
export const TOP_CATEGORIES_SQL = `-- top $4 categories by volume of tickets opened in [$2, $3), as of $1
WITH ${OPENED_IN_PERIOD},
${DELAYS_AS_OF},
${TICKETS_AS_OF},
${TICKET_FACTS}
SELECT f.category,
       count(*)::int AS volume,
       ${ON_TIME_RESPONSE_PCT} AS on_time_response_pct,
       count(*) FILTER (WHERE f.closed AND f.request_met)::float8 / nullif(count(*) FILTER (WHERE f.closed), 0) AS request_met_pct
  FROM ticket_facts f
 GROUP BY f.category
 ORDER BY volume DESC, f.category
 LIMIT $4::int`;

export interface TopCategoryRow {
  category: string;
  volume: number;
  on_time_response_pct: number | null;
  request_met_pct: number | null;
}
