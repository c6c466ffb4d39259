import { RequestValidationError } from '#platform';
import type { ReportDatabase, ReportWindow } from '#read-model/reports/report-statement.js';
import { REPORT_WINDOW_SQL } from './report-window.sql.js';

export interface ReportWindowInput {
  asOf?: string;
  from?: string;
  to?: string;
  tz?: string;
}

// A time followed by Z or ±hh[:mm]: the instant is absolute; otherwise it is local to the zone.
const UTC_OFFSET = /T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

export function hasUtcOffset(iso: string): boolean {
  return UTC_OFFSET.test(iso);
}

/**
 * Resolves a request's asOf (default `now`) and period (default: the local month of asOf)
 * in its time zone (default the configured reporting zone). PostgreSQL does the zone
 * arithmetic, so the bounds are exactly the ones the report SQL sees. A period touching more
 * than `maxDays` local days is refused (400 naming `to`, or `from` when only it was given).
 */
export async function resolveReportWindow(
  db: ReportDatabase,
  input: ReportWindowInput,
  now: Date,
  defaultTimeZone: string,
  maxDays = Number.POSITIVE_INFINITY,
): Promise<ReportWindow> {
  const timeZone = input.tz ?? defaultTimeZone;
  const asOf = input.asOf ?? now.toISOString();
  const params = [
    asOf,
    input.from ?? null,
    input.to ?? null,
    hasUtcOffset(asOf),
    input.from === undefined ? false : hasUtcOffset(input.from),
    input.to === undefined ? false : hasUtcOffset(input.to),
    timeZone,
  ];
  let row: { as_of: Date; period_from: Date; period_to: Date; local_days: number };
  try {
    [row] = await db.query<typeof row>(REPORT_WINDOW_SQL, params);
  } catch (error) {
    // A zone the JavaScript runtime knows but this PostgreSQL does not.
    if (isPgError(error, '22023') && /time zone/i.test(error.message)) {
      throw new RequestValidationError([{ field: 'tz', messages: [`tz must be a time zone PostgreSQL knows: ${error.message}`] }]);
    }
    throw error;
  }
  const outOfRange = [
    ['asOf', row.as_of],
    [input.from === undefined ? 'asOf' : 'from', row.period_from],
    [input.to === undefined ? 'asOf' : 'to', row.period_to],
  ].filter((entry): entry is [string, Date] => !writableInstant(entry[1] as Date));
  if (outOfRange.length > 0) {
    throw new RequestValidationError(
      [...new Set(outOfRange.map(([field]) => field))].map((field) => ({
        field,
        messages: [`${field} must resolve to an instant from 0001-01-01 to 9999-12-31 (UTC)`],
      })),
    );
  }
  if (row.period_from.getTime() >= row.period_to.getTime()) {
    throw new RequestValidationError([
      { field: 'to', messages: [`to (${row.period_to.toISOString()}) must be after from (${row.period_from.toISOString()})`] },
    ]);
  }
  if (row.local_days > maxDays) {
    throw new RequestValidationError([
      {
        field: input.to === undefined && input.from !== undefined ? 'from' : 'to',
        messages: [
          `the period from ${row.period_from.toISOString()} to ${row.period_to.toISOString()} ` +
            `touches ${row.local_days} local days in ${timeZone}; ` +
            `at most ${maxDays} (REPORT_MAX_DAYS): ask for shorter periods one after another`,
        ],
      },
    ]);
  }
  return { asOf: row.as_of, from: row.period_from, to: row.period_to, timeZone };
}

/** ISO-8601 as both JavaScript writes it and PostgreSQL reads it: four-digit years (year 0 does not exist). */
function writableInstant(instant: Date): boolean {
  const year = instant.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

function isPgError(error: unknown, code: string): error is Error & { code: string } {
  return error instanceof Error && (error as Error & { code?: unknown }).code === code;
}
