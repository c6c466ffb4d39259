import type { ReportDatabase, ReportWindow } from '../reports/report-statement.js';

/**
 * A report window whose period runs from one local day's midnight to another's in `timeZone`,
 * as the API reads bare dates: PostgreSQL finds the midnights, so they are those the report
 * SQL sees (DST included). For specs that run report statements without the API.
 */
export async function localDaysWindow(
  db: ReportDatabase,
  asOf: string,
  fromDay: string,
  toDay: string,
  timeZone: string,
): Promise<ReportWindow> {
  const [row] = await db.query<{ from: Date; to: Date }>(
    `SELECT $1::date::timestamp AT TIME ZONE $3::text AS from, $2::date::timestamp AT TIME ZONE $3::text AS to`,
    [fromDay, toDay, timeZone],
  );
  return { asOf: new Date(asOf), from: row.from, to: row.to, timeZone };
}
