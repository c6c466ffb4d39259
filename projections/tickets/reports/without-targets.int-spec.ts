import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { CALENDAR_TIME_ID, EMPTY_CATALOGUE, slaCatalogueOf, type SlaCatalogue } from '#ticketing';
import { close, open, respond } from '#ticketing/testing/commands.js';
import type { ReportDatabase, ReportWindow } from '#read-model/reports/report-statement.js';
import { localDaysWindow } from '#read-model/testing/local-days-window.js';
import { pgReportDatabase } from '#read-model/testing/pg-report-database.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ticketStream, writeFixtureTables } from '../testing/report-fixture.js';
import { kpiSummary } from './kpi-summary/kpi-summary.js';
import { topCategories } from './top-categories/top-categories.js';

/**
 * Tickets without due times (history imported with no policy) beside tickets under the built-in
 * policy (response 4 h, resolution 3 days): the SLA figures judge only the latter, and a group
 * with none of them has those figures null — not available, rather than met against nothing.
 */

/** No policy, as an import without targets (apps/cli/src/import/import-log.ts importSla). */
const NO_POLICY: SlaCatalogue = {
  ...slaCatalogueOf(EMPTY_CATALOGUE),
  termsAt: () => ({ policyId: null, calendarId: CALENDAR_TIME_ID, claimClock: null, responseClock: null, resolutionClock: null }),
};

const id = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

/** A ticket of `category` opened at 08:00, answered `answerAfterHours` later by ayse and closed an hour after that. */
function answered(n: number, category: string, answerAfterHours: number, sla?: SlaCatalogue) {
  const opened = Date.parse('2026-11-10T08:00:00Z');
  const at = (hours: number) => new Date(opened + hours * 3_600_000).toISOString();
  return ticketStream(
    id(n),
    [
      { at: at(0), command: open({ unitId: 'front', category, claimBy: 'ayse' }) },
      { at: at(answerAfterHours), command: respond('ayse', { solution: true }) },
      { at: at(answerAfterHours + 1), command: close('ayse') },
    ],
    sla,
  );
}

const STREAMS = [
  // Under the built-in policy: one answered in time, one after its 4 h response target.
  answered(1, 'targeted', 1),
  answered(2, 'targeted', 6),
  // No policy: answered at the same times, and later still; none is judged.
  answered(3, 'untargeted', 1, NO_POLICY),
  answered(4, 'untargeted', 6, NO_POLICY),
  answered(5, 'untargeted', 30, NO_POLICY),
];

// After every event (settled tickets), and while the tickets are still open (reconstructed at query time).
const AFTER_ALL = '2026-11-12T00:00:00Z';
const ANSWERED_NOT_CLOSED = '2026-11-10T14:30:00Z';

describe('SLA figures of tickets without targets', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: ReportDatabase;
  const window = (asOf: string): Promise<ReportWindow> => localDaysWindow(db, asOf, '2026-11-09', '2026-11-13', 'UTC');

  beforeAll(async () => {
    database = await createTestDatabase('reports_without_targets');
    await writeFixtureTables(database.url, STREAMS);
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    db = pgReportDatabase(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('the built-in policy gives due times and the import’s none gives none (the premise)', async () => {
    const { rows } = await pool.query<{ category: string; with_due: number }>(
      `SELECT t.category, count(*) FILTER (WHERE c.response_due_at IS NOT NULL OR c.resolution_due_at IS NOT NULL)::int AS with_due
         FROM analytics.tickets t JOIN analytics.cycles c USING (ticket_id) GROUP BY t.category ORDER BY t.category`,
    );
    expect(rows).toEqual([
      { category: 'targeted', with_due: 2 },
      { category: 'untargeted', with_due: 0 },
    ]);
  });

  it('marks on each settled tickets row whether the SLA figures judge it, as its cycles say', async () => {
    const { rows } = await pool.query<{ category: string; response_targeted: number; sla_targeted: number; disagree: number }>(
      `SELECT t.category, count(*) FILTER (WHERE t.response_targeted)::int AS response_targeted,
              count(*) FILTER (WHERE t.sla_targeted)::int AS sla_targeted,
              count(*) FILTER (WHERE t.response_targeted IS DISTINCT FROM (c1.response_due_at IS NOT NULL)
                                  OR t.sla_targeted IS DISTINCT FROM EXISTS (SELECT 1 FROM analytics.cycles c
                                       WHERE c.ticket_id = t.ticket_id
                                         AND (c.response_due_at IS NOT NULL OR c.resolution_due_at IS NOT NULL)))::int AS disagree
         FROM analytics.tickets t JOIN analytics.cycles c1 ON c1.ticket_id = t.ticket_id AND c1.n = 1
        GROUP BY t.category ORDER BY t.category`,
    );
    expect(rows).toEqual([
      { category: 'targeted', response_targeted: 2, sla_targeted: 2, disagree: 0 },
      { category: 'untargeted', response_targeted: 0, sla_targeted: 0, disagree: 0 },
    ]);
  });

  for (const [when, asOf] of [
    ['settled', AFTER_ALL],
    ['at query time', ANSWERED_NOT_CLOSED],
  ] as const) {
    describe(when, () => {
      it('counts only tickets with due times in on-time response % and SLA compliance %', async () => {
        const [all] = await kpiSummary(db, await window(asOf), [], null);
        expect(all.volume).toBe(5);
        // Of the two judged tickets one was answered late: the three without targets are in neither denominator.
        expect(all.on_time_response_pct).toBe(1 / 2);
        expect(all.sla_compliance_pct).toBe(1 / 2);
        // The figures that need no target still count every ticket.
        expect(all.frt.n).toBe(asOf === AFTER_ALL ? 5 : 4);
        expect(all.escalation_rate_pct).toBe(0);
      });

      it('gives null, not 100 %, for a group with no due time at all', async () => {
        const byCategory = await kpiSummary(db, await window(asOf), ['category'], null);
        const untargeted = byCategory.find((e) => e.group.category === 'untargeted');
        const targeted = byCategory.find((e) => e.group.category === 'targeted');
        expect(untargeted).toMatchObject({ volume: 3, on_time_response_pct: null, sla_compliance_pct: null });
        expect(targeted).toMatchObject({ volume: 2, on_time_response_pct: 1 / 2, sla_compliance_pct: 1 / 2 });
      });

      it('gives null on-time response % in the top categories for a category without targets', async () => {
        const rows = await topCategories(db, await window(asOf), 10);
        expect(rows.map((r) => [r.category, r.volume, r.on_time_response_pct])).toEqual([
          ['untargeted', 3, null],
          ['targeted', 2, 1 / 2],
        ]);
      });
    });
  }
});
