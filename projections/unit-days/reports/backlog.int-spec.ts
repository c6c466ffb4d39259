import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { migrateEventStore, PostgresEventStore } from '#event-store';
import { endPool } from '#read-model/postgres/close-pools.js';
import { migrateProjections, rebuildProjection } from '#read-model/projections/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { createTicketsProjection } from '#projections/tickets/tickets.projection.js';
import { claim, close, hold, open, reopen, respond, resume, route } from '#ticketing/testing/commands.js';
import { appendWhole, generatedStreams, type TicketStreams } from '#projections/unit-days/testing/ticket-streams.js';
import { createUnitDaysProjection } from '#projections/unit-days/unit-days.projection.js';
import { loadGoldenCommands, loadGoldenExpected, replayThroughDomain } from '#test/support/golden-small.js';
import type { ReportDatabase, ReportWindow } from '#read-model/reports/report-statement.js';
import { DELAYS_AS_OF } from '#projections/tickets/reports/as-of/delays-as-of.sql.js';
import { HOLD_M0, holdTickets } from '#projections/tickets/testing/hold-tickets.js';
import { pgReportDatabase } from '#read-model/testing/pg-report-database.js';
import { ticketStream, type FixtureStep } from '#projections/tickets/testing/report-fixture.js';
import { readBacklog } from './backlog.js';
import { BACKLOG_SQL, type BacklogRow } from '#projections/tickets/reports/backlog/backlog.sql.js';

/**
 * The backlog from the daily series (unit_days, unit_day_changes) equals the query-time
 * BACKLOG_SQL over the tickets projection, for every unit and day of the whole span, at asOf
 * after everything, at a local midnight, in the middle of a day, a millisecond before
 * midnight and before the first event, for all units and for one; a request in another zone
 * than the series' falls back to BACKLOG_SQL. Both projections
 * are built by the engine from the same events. BACKLOG_LOAD_TICKETS sets the generated load.
 *
 * Over target and delayed never disagree: at instants around every hold and across the span,
 * the over-target backlog is the backlog whose current cycle's resolution phase is delayed by
 * the reports' delays_as_of.
 */
const LOAD_TICKETS = Number(process.env.BACKLOG_LOAD_TICKETS ?? 3_000);
const SEED = Number(process.env.LOAD_SEED ?? 20261125);
const DAY_MS = 86_400_000;

interface Scenario {
  name: string;
  streams: TicketStreams;
  /** the zone unit_days is built in */
  zone: string;
  /** a zone the series is not in */
  otherZone: string;
  /** golden-small: also check expected.json's backlog */
  golden?: boolean;
  /** the hold tickets: also check their over-target figures day by day */
  holds?: boolean;
}

/** `offset` after the Istanbul midnight that starts 30 Nov 2026 (21:00 UTC the day before). */
const M0 = Date.parse('2026-11-29T21:00:00Z');
const after = (offset: number) => new Date(M0 + offset).toISOString();
const HOUR_MS = 3_600_000;

/**
 * Tickets whose events, due times and aging boundaries fall exactly on local midnights, where
 * "the end of the day" must count what starts then and not what ends then.
 */
function midnightStreams(): TicketStreams {
  const id = (n: number) => `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
  const tickets: Array<[string, FixtureStep[]]> = [
    // Opened at midnight and left in the pool: resolution due, and 1, 3 and 7 days of age, at midnights.
    [id(1), [{ at: after(0), command: open({ unitId: 'front' }) }]],
    // Closed exactly at a midnight: gone from that end of day.
    [
      id(2),
      [
        { at: after(5 * HOUR_MS), command: open({ unitId: 'front' }) },
        { at: after(6 * HOUR_MS), command: claim('ayse') },
        { at: after(DAY_MS), command: close('ayse') },
      ],
    ],
    // Routed at a midnight, on hold from a midnight to a midnight (the due time moves then).
    [
      id(3),
      [
        { at: after(2 * HOUR_MS), command: open({ unitId: 'front' }) },
        { at: after(2 * DAY_MS), command: route('billing') },
        { at: after(2 * DAY_MS + HOUR_MS), command: claim('deniz') },
        { at: after(3 * DAY_MS), command: hold('deniz') },
        { at: after(5 * DAY_MS), command: resume('deniz') },
        { at: after(6 * DAY_MS + 3 * HOUR_MS), command: close('deniz') },
      ],
    ],
    // Reopened at a midnight and left open.
    [
      id(4),
      [
        { at: after(HOUR_MS), command: open({ unitId: 'billing', claimBy: 'elif' }) },
        { at: after(2 * HOUR_MS), command: respond('elif') },
        { at: after(DAY_MS + HOUR_MS), command: close('elif') },
        { at: after(2 * DAY_MS), command: reopen() },
      ],
    ],
    // Opened and taken at once on a call at a midnight, the day before the others.
    [
      id(5),
      [
        { at: after(-DAY_MS), command: open({ unitId: 'field', claimBy: 'emre' }) },
        { at: after(DAY_MS + 12 * HOUR_MS), command: close('emre') },
      ],
    ],
  ];
  return new Map(tickets.map(([ticketId, steps]) => [ticketId, ticketStream(ticketId, steps)]));
}

function span(streams: TicketStreams): { first: number; last: number } {
  const instants = [...streams.values()].flatMap((events) => events.map((e) => Date.parse(e.occurredAt)));
  return { first: Math.min(...instants), last: Math.max(...instants) };
}

describe.each<Scenario>([
  {
    name: 'golden-small',
    streams: replayThroughDomain(loadGoldenCommands()),
    zone: 'Europe/Istanbul',
    otherZone: 'America/New_York',
    golden: true,
  },
  { name: 'tickets whose instants fall on local midnights', streams: midnightStreams(), zone: 'Europe/Istanbul', otherZone: 'UTC' },
  {
    name: 'tickets whose resolution due time meets a hold',
    streams: new Map(holdTickets().map((t) => [t.ticketId, t.events])),
    zone: 'Europe/Istanbul',
    otherZone: 'UTC',
    holds: true,
  },
  {
    // Across both of 2026's daylight-saving changes in New York: days of 23 and 25 hours.
    name: `a generated load of ${LOAD_TICKETS} tickets (seed ${SEED}) in a zone with daylight saving`,
    streams: generatedStreams({ tickets: LOAD_TICKETS, seed: SEED, start: new Date('2026-02-25T00:00:00Z'), spreadDays: 250, units: 12 }),
    zone: 'America/New_York',
    otherZone: 'Europe/Istanbul',
  },
])('the backlog series from unit_days on $name', ({ streams, zone, otherZone, golden, holds }) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: ReportDatabase;
  const { first, last } = span(streams);

  /** Local midnight in `timeZone` of the day `offsetDays` after the one holding `instant`, by PostgreSQL. */
  async function localMidnight(instant: number, offsetDays: number, timeZone = zone): Promise<Date> {
    const { rows } = await pool.query<{ at: Date }>(
      `SELECT ((($1::timestamptz AT TIME ZONE $3::text)::date + $2::int)::timestamp AT TIME ZONE $3::text) AS at`,
      [new Date(instant).toISOString(), offsetDays, timeZone],
    );
    return rows[0].at;
  }

  /** The whole span in `timeZone`: from the day before the first event to 12 days after the last (aging and due times run on). */
  async function wholeSpan(asOf: Date, timeZone = zone): Promise<ReportWindow> {
    return { asOf, from: await localMidnight(first, -1, timeZone), to: await localMidnight(last, 12, timeZone), timeZone };
  }

  async function querytime(window: ReportWindow, unit: string | null = null): Promise<BacklogRow[]> {
    return db.query<BacklogRow>(BACKLOG_SQL, [
      window.asOf.toISOString(),
      window.from.toISOString(),
      window.to.toISOString(),
      window.timeZone,
      unit,
    ]);
  }

  beforeAll(async () => {
    database = await createTestDatabase('backlog_series');
    pool = new pg.Pool({ connectionString: database.url, max: 6 });
    db = pgReportDatabase(pool);
    await migrateEventStore(pool);
    await migrateProjections(pool);
    const store = new PostgresEventStore(pool);
    try {
      await appendWhole(store, streams);
      await rebuildProjection({ pool, store }, createTicketsProjection());
      await rebuildProjection({ pool, store }, createUnitDaysProjection({ timeZone: zone }));
    } finally {
      await store.close();
    }
  }, 300_000);

  afterAll(async () => {
    if (pool) await endPool(pool);
    await database?.drop();
  });

  it('records the zone its days are cut in', async () => {
    expect((await pool.query('SELECT time_zone FROM analytics.unit_days_zone')).rows).toEqual([{ time_zone: zone }]);
  });

  it('after the last event: every day of the span from the daily series, equal to BACKLOG_SQL, for all units and for each', async () => {
    const window = await wholeSpan(new Date(last + 20 * DAY_MS));
    const expected = await querytime(window);
    const answer = await readBacklog(db, window);
    expect(answer.source).toBe('daily-series');
    expect(answer.rows).toEqual(expected);
    // The comparison is worth something: the span has every figure somewhere.
    for (const figure of ['count', 'over_target', 'lt1d', '1to3d', '3to7d', 'ge7d'] as const) {
      expect({ figure, nonZero: expected.some((row) => row[figure] > 0) }).toEqual({ figure, nonZero: true });
    }
    const units = [...new Set(expected.map((row) => row.unit_id))];
    for (const unit of [...units, 'no-such-unit'])
      expect((await readBacklog(db, window, unit)).rows).toEqual(await querytime(window, unit));
  });

  it.each([
    ['at a local midnight', 0],
    ['in the middle of a day', 13 * 3_600_000 + 37 * 60_000 + 21_123],
    ['a millisecond before a local midnight', DAY_MS - 1],
  ])(
    'at an asOf within the span (%s): ended days and the day running at asOf from the daily series, equal to BACKLOG_SQL',
    async (_, offset) => {
      for (const fraction of [0.25, 0.5, 0.8]) {
        const midnight = await localMidnight(first + (last - first) * fraction, 0);
        const window = await wholeSpan(new Date(midnight.getTime() + offset));
        const expected = await querytime(window);
        const answer = await readBacklog(db, window);
        expect(answer.source).toBe('daily-series');
        expect(answer.rows).toEqual(expected);
        expect(answer.rows[answer.rows.length - 1].at).toEqual(window.asOf);
        const unit = expected.find((row) => row.count > 0)?.unit_id ?? null;
        expect((await readBacklog(db, window, unit)).rows).toEqual(await querytime(window, unit));
      }
    },
  );

  it('before the first event, and for a period that ends mid-day before asOf', async () => {
    const before = await wholeSpan(new Date(first - 3_600_000));
    expect(await readBacklog(db, before)).toEqual({ source: 'daily-series', rows: await querytime(before) });
    const middle = await localMidnight((first + last) / 2, 0);
    const window: ReportWindow = {
      asOf: new Date(middle.getTime() + 18 * 3_600_000),
      from: await localMidnight(first, 0),
      to: new Date(middle.getTime() + 6 * 3_600_000),
      timeZone: zone,
    };
    expect(await readBacklog(db, window)).toEqual({ source: 'daily-series', rows: await querytime(window) });
  });

  it(`in another zone than the series’ (${otherZone}): computed at query time`, async () => {
    for (const asOf of [new Date(last + 20 * DAY_MS), new Date((first + last) / 2)]) {
      const window = await wholeSpan(asOf, otherZone);
      expect(await readBacklog(db, window)).toEqual({ source: 'query-time', rows: await querytime(window) });
    }
  });

  it('opened and closed per unit and day agree with the tickets projection', async () => {
    const { rows: series } = await pool.query(
      `SELECT unit_id, day::text, opened, closed FROM analytics.unit_days WHERE opened <> 0 OR closed <> 0 ORDER BY unit_id, day`,
    );
    const { rows: tickets } = await pool.query(
      `WITH opened AS (
         SELECT c.unit_id, (c.started_at AT TIME ZONE $1::text)::date AS day, count(*)::int AS n
           FROM analytics.cycles c WHERE c.n = 1 GROUP BY 1, 2
       ), closed AS (
         SELECT c.closed_unit_id AS unit_id, (c.closed_at AT TIME ZONE $1::text)::date AS day, count(*)::int AS n
           FROM analytics.cycles c WHERE c.closed_at IS NOT NULL GROUP BY 1, 2
       )
       SELECT unit_id, day::text, coalesce(o.n, 0) AS opened, coalesce(x.n, 0) AS closed
         FROM opened o FULL JOIN closed x USING (unit_id, day) ORDER BY unit_id, day`,
      [zone],
    );
    expect(series).toEqual(tickets);
    const { rows: units } = await pool.query('SELECT unit_id, first_stint_at FROM analytics.unit_day_units ORDER BY unit_id');
    const { rows: stints } = await pool.query(
      'SELECT unit_id, min(started_at) AS first_stint_at FROM analytics.stints GROUP BY unit_id ORDER BY unit_id',
    );
    expect(units).toEqual(stints);
  });

  it('counts over target exactly the backlog tickets whose resolution phase is delayed (delays_as_of), around every hold', async () => {
    const { rows: holdInstants } = await pool.query<{ at: Date }>(
      `SELECT DISTINCT x.at + d.offset_ms * interval '1 millisecond' AS at
         FROM analytics.holds h
        CROSS JOIN LATERAL (VALUES (h.started_at), (h.ended_at), (h.resolution_due_before)) AS x(at)
        CROSS JOIN (VALUES (-1), (0), (1)) AS d(offset_ms)
        WHERE x.at IS NOT NULL
        ORDER BY 1`,
    );
    // Every hold's instants for the small scenarios; an even sample of them for the generated load.
    const step = Math.max(1, Math.ceil(holdInstants.length / 90));
    const instants = [
      ...holdInstants.filter((_, i) => i % step === 0).map((row) => row.at.getTime()),
      ...Array.from({ length: 30 }, (_, i) => first + ((i + 0.5) * (last - first + 10 * DAY_MS)) / 30),
    ];
    let overTarget = 0;
    let pausedPastDue = 0;
    for (const instant of instants) {
      const asOf = new Date(instant);
      // One day, the one running at asOf: its row is the backlog at asOf.
      const window: ReportWindow = { asOf, from: await localMidnight(instant, 0), to: await localMidnight(instant, 1), timeZone: zone };
      const backlog = (rows: BacklogRow[]) =>
        Object.fromEntries(
          rows.filter((row) => row.count > 0).map((row) => [row.unit_id, { count: row.count, over_target: row.over_target }]),
        );
      const { rows: delayed } = await pool.query<{ unit_id: string; count: number; over_target: number; paused_past_due: number }>(
        `WITH scope AS (SELECT ticket_id FROM analytics.tickets),
         ${DELAYS_AS_OF},
         backlog AS (
           SELECT k.ticket_id, k.unit_id, k.cycle FROM analytics.custody k
            WHERE k.custody_state <> 'closed' AND k.valid_from <= $1::timestamptz AND coalesce(k.valid_to, 'infinity') > $1::timestamptz
         )
         SELECT b.unit_id, count(*)::int AS count,
                count(*) FILTER (WHERE EXISTS (
                  SELECT 1 FROM delays_as_of d
                   WHERE d.ticket_id = b.ticket_id AND d.phase = 'resolution' AND d.cycle = b.cycle))::int AS over_target,
                -- on hold at asOf with a due time the hold paused and asOf has passed: not delayed
                count(*) FILTER (WHERE EXISTS (
                  SELECT 1 FROM analytics.holds h
                   WHERE h.ticket_id = b.ticket_id AND h.cycle = b.cycle
                     AND h.started_at <= $1::timestamptz AND coalesce(h.ended_at, 'infinity') > $1::timestamptz
                     AND h.resolution_due_before >= h.started_at AND h.resolution_due_before < $1::timestamptz))::int AS paused_past_due
           FROM backlog b GROUP BY b.unit_id`,
        [asOf.toISOString()],
      );
      const expected = Object.fromEntries(delayed.map((row) => [row.unit_id, { count: row.count, over_target: row.over_target }]));
      expect({ asOf, backlog: backlog(await querytime(window)) }).toEqual({ asOf, backlog: expected });
      expect({ asOf, backlog: backlog((await readBacklog(db, window)).rows) }).toEqual({ asOf, backlog: expected });
      overTarget += delayed.reduce((sum, row) => sum + row.over_target, 0);
      pausedPastDue += delayed.reduce((sum, row) => sum + row.paused_past_due, 0);
    }
    expect(overTarget).toBeGreaterThan(0);
    if (holds) expect(pausedPastDue).toBeGreaterThan(0);
  });

  if (holds) {
    it('over target follows the resolution clock a hold stops: each ticket at each day’s end, daily series and query time', async () => {
      const tickets = holdTickets();
      const units = [
        ...new Set(tickets.flatMap((t) => Object.values(t.overTargetAtEndOf).flatMap((byUnit) => Object.keys(byUnit)))),
      ].sort();
      const window: ReportWindow = {
        asOf: new Date(HOLD_M0 + 20 * DAY_MS),
        from: new Date(HOLD_M0),
        to: new Date(HOLD_M0 + 9 * DAY_MS),
        timeZone: zone,
      };
      const expected: Record<string, Record<string, { count: number; over_target: number }>> = {};
      for (let k = 1; k <= 9; k++) {
        // The day that ends at HOLD_M0 + k days, in Istanbul (UTC+3 all year).
        const day = new Date(HOLD_M0 + (k - 1) * DAY_MS + 3 * 3_600_000).toISOString().slice(0, 10);
        expected[day] = Object.fromEntries(units.map((unit) => [unit, { count: 0, over_target: 0 }]));
        for (const t of tickets) {
          for (const [unit, over] of Object.entries(t.overTargetAtEndOf[k] ?? {}))
            expected[day][unit] = { count: 1, over_target: over ? 1 : 0 };
        }
      }
      const byDay = (rows: BacklogRow[]) => {
        const out: Record<string, Record<string, { count: number; over_target: number }>> = {};
        for (const row of rows) {
          out[row.day] ??= {};
          out[row.day][row.unit_id] = { count: row.count, over_target: row.over_target };
        }
        return out;
      };
      const daily = await readBacklog(db, window);
      expect(daily.source).toBe('daily-series');
      expect(byDay(daily.rows)).toEqual(expected);
      expect(byDay(await querytime(window))).toEqual(expected);
    });
  }

  if (golden) {
    it('gives expected.json’s backlog at the ends of its four days from the daily series', async () => {
      const expected = loadGoldenExpected() as ReturnType<typeof loadGoldenExpected> & {
        backlogEndOfDay: Record<string, Record<string, Record<string, number>>>;
      };
      const days = Object.keys(expected.backlogEndOfDay).sort();
      const window: ReportWindow = {
        asOf: new Date(expected.asOf),
        from: await localMidnight(Date.parse(`${days[0]}T12:00:00Z`), 0),
        to: await localMidnight(Date.parse(`${days[days.length - 1]}T12:00:00Z`), 1),
        timeZone: zone,
      };
      const answer = await readBacklog(db, window);
      expect(answer.source).toBe('daily-series');
      const actual: Record<string, Record<string, Record<string, number>>> = {};
      for (const row of answer.rows) {
        actual[row.day] ??= {};
        actual[row.day][row.unit_id] = {
          count: row.count,
          over_target: row.over_target,
          lt1d: row.lt1d,
          '1to3d': row['1to3d'],
          '3to7d': row['3to7d'],
          ge7d: row.ge7d,
        };
      }
      expect(actual).toEqual(expected.backlogEndOfDay);
    });
  }
});
