import { CALENDAR_VERSIONS, TICKET_HISTORIES, TICKET_TABLES, type TableDefinition } from '#projections/tickets/tables.js';
import { UNIT_DAY_CHANGES, UNIT_DAY_UNITS, UNIT_DAYS, UNIT_DAYS_ZONE } from '#projections/unit-days/tables.js';
import { OPEN_DEADLINES } from '#projections/deadlines/tables.js';
import { NOTIFICATIONS } from '#projections/notifications/tables.js';
import { REF_SEEN_TICKETS, REFERENCE_TABLES } from '#projections/reference/tables.js';
import { BACKLOG_SQL } from '#projections/tickets/reports/backlog/backlog.sql.js';
import { KPI_SUMMARY_SQL } from '#projections/tickets/reports/kpi-summary/kpi-summary.sql.js';
import { ticketListSql } from '#projections/tickets/reports/ticket-list/ticket-list.sql.js';
import { TOP_CATEGORIES_SQL } from '#projections/tickets/reports/top-categories/top-categories.sql.js';
import {
  UNIT_CATEGORIES_SQL,
  UNIT_PERFORMANCE_SQL,
  UNIT_USERS_SQL,
} from '#projections/tickets/reports/unit-performance/unit-performance.sql.js';
import { BACKLOG_DAILY_SQL } from '#projections/unit-days/reports/backlog-daily.sql.js';

/**
 * docs/for-analysts.md, rendered from the sources it describes: the column comments of the
 * projections' tables and the SQL the report endpoints run (each projection's reports/). A spec keeps the file
 * equal to this rendering, so the document cannot drift from the views or the reports.
 * Regenerate: `npm run build && node dist/apps/api/src/reports/analyst-docs/write-analyst-docs.js`.
 */

export interface DocumentedReport {
  title: string;
  endpoint: string;
  about: string;
  statement: string;
  sql: string;
  /** arguments of EXECUTE for golden-small's asOf and period */
  example: string;
}

const AS_OF = `'2026-11-20T09:00:00Z'`;
const FROM = `'2026-11-08T00:00:00+03:00'`;
const TO = `'2026-11-19T00:00:00+03:00'`;

export const DOCUMENTED_REPORTS: DocumentedReport[] = [
  {
    title: 'Unit performance',
    endpoint: 'GET /reports/units?from&to&asOf',
    about:
      'Per unit U, over U’s stints that started in the period: total, delayed (a response or resolution delay attributed to U during ' +
      'one of those stints), on_time = total − delayed, pool_delayed (a claim delay in one of them), ' +
      'and where each ticket is as of asOf: in_pool (U’s pool), in_progress (held by a user of U, on hold included), ' +
      'routed_out (with another unit), closed (anywhere). $4: one unit, or NULL for all.',
    statement: 'unit_performance',
    sql: UNIT_PERFORMANCE_SQL,
    example: `${AS_OF}, ${FROM}, ${TO}, NULL`,
  },
  {
    title: 'Unit performance per user',
    endpoint: 'GET /reports/units/{unit}/users',
    about:
      'Per user of unit $4: the assignments in $4 that started in the period, delays attributed to the user during them, ' +
      'the same status columns; pool_delayed is null (a claim delay belongs to the pool).',
    statement: 'unit_users',
    sql: UNIT_USERS_SQL,
    example: `${AS_OF}, ${FROM}, ${TO}, 'billing'`,
  },
  {
    title: 'Unit performance per category',
    endpoint: 'GET /reports/units/{unit}/categories',
    about: 'The unit’s columns per category, each ticket in its category as of asOf.',
    statement: 'unit_categories',
    sql: UNIT_CATEGORIES_SQL,
    example: `${AS_OF}, ${FROM}, ${TO}, 'billing'`,
  },
  {
    title: 'The tickets behind a unit performance cell',
    endpoint:
      'GET /reports/tickets?unit=billing&column=delayed (user=…, category=…, channel, priority, status, sort, order, limit, offset)',
    about:
      'The drill-down. $4 unit, $5 user (NULL: the unit row), $6 category, $7 channel, $8 priority, $9 status as of asOf (in_pool, ' +
      'in_progress, on_hold, closed), $10 column (total, delayed, on_time, pool_delayed, in_pool, in_progress, routed_out, closed), ' +
      '$11 limit, $12 offset; NULL filters nothing. `total` is the length of the whole list. ' +
      'Each ticket’s detail is GET /tickets/{id}, its event log GET /tickets/{id}/events. The API orders by any of opened_at, age_s, ' +
      'ticket_id, category, priority, channel, status, unit_id, closed_at, always ending with ticket_id.',
    statement: 'unit_cell_tickets',
    sql: ticketListSql('units', 'opened_at', 'asc'),
    example: `${AS_OF}, ${FROM}, ${TO}, 'billing', NULL, NULL, NULL, NULL, NULL, 'delayed', 50, 0`,
  },
  {
    title: 'The tickets behind a KPI summary or top-N cell',
    endpoint: 'GET /reports/tickets?report=opened&category=refund&column=late_response',
    about:
      'Tickets opened in the period. $4/$5 the group’s unit and user (current holder, or the last close’s), $6–$9 as above, ' +
      '$10 one of volume, on_time_response, late_response, pending_response, sla_breached, escalated, reopened, closed, ' +
      'request_met, fcr_system.',
    statement: 'opened_cell_tickets',
    sql: ticketListSql('opened', 'opened_at', 'asc'),
    example: `${AS_OF}, ${FROM}, ${TO}, NULL, NULL, 'refund', NULL, NULL, NULL, 'volume', 50, 0`,
  },
  {
    title: 'Top N categories',
    endpoint: 'GET /reports/top-categories?n=10',
    about:
      'Categories (as of asOf) of the tickets opened in the period, by volume (ties by name), with on-time response % and request-met %.',
    statement: 'top_categories',
    sql: TOP_CATEGORIES_SQL,
    example: `${AS_OF}, ${FROM}, ${TO}, 10`,
  },
  {
    title: 'KPI summary',
    endpoint: 'GET /reports/kpis?groupBy=unit,category&bucket=month',
    about:
      'Every rate and aggregate of KPIS.md over the tickets opened in the period. $4 time zone, ' +
      '$5 dimensions to group by (text[] of unit, user, category, channel, priority; the ticket as of asOf: ' +
      'unit/user = current holder or the last close’s), $6 bucket of the opening instant (day, week = ISO week from Monday, month, ' +
      'quarter, year; NULL: the whole period). Distributions: *_n, *_mean, *_p50, *_p90 in seconds (frt, trt, tfs also *_missing: ' +
      'selected tickets without the measure); ttc over pool waits, tat over assignments, aht over tickets closed as of asOf. ' +
      'Rates are fractions 0–1, NULL when the denominator is empty. Surveys count in their ticket’s group.',
    statement: 'kpi_summary',
    sql: KPI_SUMMARY_SQL,
    example: `${AS_OF}, ${FROM}, ${TO}, 'Europe/Istanbul', '{unit}', 'month'`,
  },
  {
    title: 'Backlog series',
    endpoint: 'GET /reports/backlog?unit=billing&from=2026-11-16&to=2026-11-20',
    about:
      'Per local day of the period (zone $4) and unit, the backlog at the end of the day (next local midnight): count, ' +
      'over_target (the current cycle’s resolution phase delayed at that instant: its due time, as it stood then, ' +
      'before the resolution clock; a hold stops that clock at its start, so a due time that passes on hold does not count), ' +
      'aging lt1d / 1to3d / 3to7d / ge7d from the original opening (each bucket includes its lower bound). Every ticket counts, ' +
      'on hold and in a pool included, at the unit holding it then. A day still running at asOf is shown as of asOf (`at`); ' +
      'days that begin after asOf are left out. $5: one unit, or NULL for all.',
    statement: 'backlog',
    sql: BACKLOG_DAILY_SQL,
    example: `${AS_OF}, '2026-11-16T00:00:00+03:00', '2026-11-20T00:00:00+03:00', 'Europe/Istanbul', NULL`,
  },
  {
    title: 'Backlog series computed at query time',
    endpoint: 'GET /reports/backlog?tz=UTC (a zone other than analytics.unit_days_zone)',
    about:
      'The same series computed from the custody intervals alone: what the API runs for a request in a zone the daily series was not ' +
      'built in, and the reference the daily series is checked against. Slower (every custody interval of the period is examined).',
    statement: 'backlog_query_time',
    sql: BACKLOG_SQL,
    example: `${AS_OF}, '2026-11-16T00:00:00+03:00', '2026-11-20T00:00:00+03:00', 'UTC', NULL`,
  },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function tableSection(table: TableDefinition): string {
  const lines = [
    `### analytics.${table.name}`,
    '',
    table.comment,
    '',
    `Primary key: ${table.primaryKey.map((c) => `\`${c}\``).join(', ')}.`,
    '',
    '| column | type | meaning |',
    '|---|---|---|',
    ...table.columns.map(
      ([name, type, comment]) =>
        `| \`${name}\` | ${cell(type.replace(/ NOT NULL$/, ''))}${type.endsWith('NOT NULL') ? '' : ', null'} | ${cell(comment)} |`,
    ),
  ];
  return lines.join('\n');
}

function reportSection(report: DocumentedReport): string {
  return [
    `### ${report.title}`,
    '',
    `\`${report.endpoint}\``,
    '',
    report.about,
    '',
    '```sql',
    `PREPARE ${report.statement} AS`,
    `${report.sql};`,
    '',
    `EXECUTE ${report.statement}(${report.example});`,
    '```',
  ].join('\n');
}

/** The views analysts read, in the document's order: every table but the projections' internal state. */
export const DOCUMENTED_VIEWS: readonly TableDefinition[] = [
  ...TICKET_TABLES.filter((table) => table !== TICKET_HISTORIES),
  CALENDAR_VERSIONS,
  UNIT_DAYS,
  UNIT_DAY_CHANGES,
  UNIT_DAY_UNITS,
  UNIT_DAYS_ZONE,
  // ref_seen_tickets is the projection's bookkeeping for ref_seen_names' counts
  ...REFERENCE_TABLES.filter((table) => table !== REF_SEEN_TICKETS),
  // deadline_tickets is the deadlines projection's folded state, not a view for analysts
  OPEN_DEADLINES,
  // notification_tickets is the notifications projection's bookkeeping (customer, holder) for the payloads
  NOTIFICATIONS,
];

export function renderAnalystDocs(): string {
  const views = DOCUMENTED_VIEWS;
  return `<!-- Generated from projections/*/tables.ts and projections/*/reports/**/*.sql.ts by
     apps/api/src/reports/analyst-docs/analyst-docs.ts; a spec fails when this file is stale. -->

# For analysts

Every figure here follows [kpis.md](kpis.md) (cited as KPIS.md below) to the letter and is
reproducible from the tickets' event logs alone. The read models are plain views in the schema
\`analytics\`; the report endpoints run exactly the SQL printed below, which you can paste
into psql.

## Connecting with psql

\`npm start\` runs an embedded PostgreSQL and writes its port and credentials to
\`DATA_DIR/postgres.json\` (default \`./.data/postgres.json\`). From the repository folder:

\`\`\`bash
psql "$(node -pe 'require("./.data/postgres.json").url')"
\`\`\`

With \`DATABASE_URL\` set, the data lives there instead: \`psql "$DATABASE_URL"\`. Run
\`SET default_transaction_read_only = on;\` first if you only mean to read, and
\`\\d+ analytics.tickets\` shows any view's columns with their comments.

## How to read the figures

- **As of an instant.** Every report takes \`asOf\` (default: now) and shows the world as it
  was then: rows and instants after it do not exist for the report. A ticket closed after
  asOf is open, its later answers do not count, its category is the one it had then. The
  views hold instants (\`*_at\`), not states, so any past instant is exact.
- **Periods** are half-open \`[from, to)\`. In the API a bare date is its local midnight in the
  reporting time zone (\`REPORTING_TIME_ZONE\`, default Europe/Istanbul; per request \`tz\`), and
  the default period is the local month asOf falls in. In SQL, pass instants.
- **Which tickets:** the KPI summary, volumes and top-N count tickets **opened** in the period;
  the unit and category reports count **stints** that started in it; the user report
  **assignments** that started in it.
- **Durations** are calendar seconds. Percentiles are \`percentile_cont\`. A rate with an empty
  denominator is null, never 0.
- **Business time.** Beside each calendar measure sits the same span in business seconds
  (\`frt_business_s\`, \`first_ttc_business_s\`, \`tfs_business_s\`, \`trt_business_s\`,
  \`handled_business_s\` on \`tickets\`; \`ttc_business_s\` on \`pool_waits\`; \`tat_business_s\` and
  \`handled_business_s\` on \`assignments\`; \`trt_business_s\` per close on \`cycles\`): the working
  time of the calendar of the measure's SLA clock, never time on hold (KPIS.md "Business
  time"). Each is fixed when its span ends, in the calendar version the clock recorded by then
  (\`cycles.response_calendar_id\`, \`resolution_calendar_id\`, \`pool_waits.claim_calendar_id\`;
  the versions themselves in \`calendar_versions\`). A ticket with no policy, or a phase with
  no target, has none (NULL). The KPI summary with \`time=business\` reads these columns in
  place of the calendar ones (the SQL below is the calendar one; the business one differs
  only in those column names); every report takes \`time\`, and those without durations
  answer the same.
- **Delays.** \`analytics.delays\` holds the TicketDelayed events (phases that completed late,
  and those the SLA watchdog saw pass). A phase still open and past due at asOf is delayed
  too, attributed to whoever held the ticket at the due time (\`custody\`); hold freezes the
  response and resolution clocks at the hold's start (\`holds\`). The reports add those at
  query time (the \`delays_as_of\` CTE below); claim delays are read off \`pool_waits\`.
- **Settled tickets.** A ticket whose last event is at or before asOf is read from its rows:
  the columns marked *Settled* hold what the ticket is after its last event, and a \`*_due_at\`
  beside a flag is the instant from which an open phase makes it true (\`delayed OR delay_due_at
  < asOf\`). Any other ticket is reconstructed as of asOf (\`scope\` and the query-time CTEs).
  Both give the same figures; with asOf = now every ticket is settled.
- **Daily series.** \`unit_days\` holds, per unit and local day of \`unit_days_zone\`, the
  tickets opened and closed that day and the *changes* of the backlog figures at the end of
  the day; the value at the end of day D is the running sum up to D (\`sum(backlog) OVER
  (PARTITION BY unit_id ORDER BY day)\`); \`unit_day_changes\` has the same changes at their
  instants, for a day still running.
- **Grouping** in the KPI summary uses the ticket as of asOf: unit and user are the current
  holder's, or for a closed ticket those of its last close.

## The API

All under an API key with the role \`analyst\` (or \`admin\`); JSON by default, CSV (RFC 4180,
a header row, the window in the last columns and in \`Report-*\` headers) with
\`Accept: text/csv\`. Every answer states \`asOf\`, \`period\` and \`timeZone\`. Common
parameters: \`asOf\`, \`from\`, \`to\`, \`tz\`, \`time\` (\`calendar\`, the default, or \`business\`;
not the backlog's), and \`minPosition\` (a command's position: the report waits until the
projections have applied it). OpenAPI: \`/docs\`.

| endpoint | report |
|---|---|
${DOCUMENTED_REPORTS.map((r) => `| \`${cell(r.endpoint)}\` | ${r.title} |`).join('\n')}

## Views and columns

${views.map(tableSection).join('\n\n')}

## The reports' SQL

Parameters are positional: \`$1\` asOf, \`$2\` period from, \`$3\` period to, then each report's
own. \`PREPARE\` once per session (\`DEALLOCATE name\` to redefine), then \`EXECUTE\` with your
values (the examples use golden-small's asOf and period). The report endpoints run the
same text; the CTEs \`delays_as_of\`, \`tickets_as_of\` and \`ticket_facts\` are shared by
several reports and read the same everywhere.

${DOCUMENTED_REPORTS.map(reportSection).join('\n\n')}
`;
}
