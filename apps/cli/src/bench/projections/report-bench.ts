import { describeRefusal, NoAnswerInTime, type HttpClient } from '../shared/http-client.js';
import type { SeedWorkload } from '#workload';

/**
 * (c): the analysts' reports through the real HTTP endpoints (README "For analysts"), one
 * request at a time, each report in turn, over varied months and units of the seeded
 * workload, with the default asOf (now). Warm-up requests first, not timed.
 */
export interface ReportBenchOptions {
  workload: SeedWorkload;
  warmUp: number;
  requests: number;
  analystKey: string;
  /** the generator's units: unit-01 … unit-NN */
  units: number;
  timeoutMs: number;
}

export interface ReportTiming {
  report: string;
  /** one example request, for the printout */
  example: string;
  milliseconds: number[];
  /** refusals and failures, by status/code or message */
  failures: Map<string, number>;
  /** what the answers held (rows, total), as a median */
  answerSize: string;
}

interface Period {
  from: string;
  to: string;
}

interface Report {
  name: string;
  path: (round: number) => string;
  size: (body: unknown) => number[];
  describeSize: (sizes: number[][]) => string;
}

const TICKET_LIST_COLUMNS = ['total', 'delayed', 'on_time', 'pool_delayed', 'in_progress', 'routed_out', 'closed'];
const BACKLOG_DAYS = 90;
const TIMEOUTS_BEFORE_GIVING_UP = 3;

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return day(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));
}

/** Calendar months that lie wholly inside the days the tickets open on; 30-day periods when none does. */
export function monthsOf(workload: SeedWorkload): Period[] {
  const first = day(workload.start);
  const end = addDays(first, workload.days);
  const months: Period[] = [];
  const cursor = new Date(Date.UTC(workload.start.getUTCFullYear(), workload.start.getUTCMonth(), 1));
  while (day(cursor) < end) {
    const next = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
    if (day(cursor) >= first && day(next) <= end) months.push({ from: day(cursor), to: day(next) });
    cursor.setTime(next.getTime());
  }
  if (months.length > 0) return months;
  const periods: Period[] = [];
  for (let from = first; from < end; from = addDays(from, 30)) periods.push({ from, to: addDays(from, 30) });
  return periods;
}

function rowsOf(body: unknown): number {
  return typeof body === 'object' && body !== null && 'rows' in body && Array.isArray(body.rows) ? body.rows.length : Number.NaN;
}

function totalOf(body: unknown): number {
  return typeof body === 'object' && body !== null && 'total' in body && typeof body.total === 'number' ? body.total : Number.NaN;
}

function medianOf(values: number[]): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)];
}

function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '?';
}

export async function reportBench(api: HttpClient, options: ReportBenchOptions): Promise<ReportTiming[]> {
  const months = monthsOf(options.workload);
  const unit = (round: number): string => `unit-${String(1 + ((round * 5) % options.units)).padStart(2, '0')}`;
  // Steps coprime with the lengths, so the rounds visit months, units and columns in changing combinations.
  const month = (round: number): Period => months[(round * 7) % months.length];
  const rowsSize = (body: unknown): number[] => [rowsOf(body)];
  const rowsText = (sizes: number[][]): string => `${count(medianOf(sizes.map((size) => size[0])))} rows`;
  const reports: Report[] = [
    {
      name: 'unit performance, one month',
      path: (round) => `/reports/units?from=${month(round).from}&to=${month(round).to}`,
      size: rowsSize,
      describeSize: rowsText,
    },
    {
      name: 'tickets behind a cell, first page',
      path: (round) =>
        `/reports/tickets?report=units&unit=${unit(round)}&column=${TICKET_LIST_COLUMNS[round % TICKET_LIST_COLUMNS.length]}` +
        `&from=${month(round).from}&to=${month(round).to}`,
      size: (body) => [rowsOf(body), totalOf(body)],
      describeSize: (sizes) => `${count(medianOf(sizes.map((size) => size[0])))} rows of ${count(medianOf(sizes.map((size) => size[1])))}`,
    },
    {
      name: 'KPI summary, one month by unit',
      path: (round) => `/reports/kpis?from=${month(round).from}&to=${month(round).to}&groupBy=unit`,
      size: rowsSize,
      describeSize: rowsText,
    },
    {
      name: `backlog series, ${BACKLOG_DAYS} days`,
      path: (round) => `/reports/backlog?from=${month(round).from}&to=${addDays(month(round).from, BACKLOG_DAYS)}`,
      size: rowsSize,
      describeSize: rowsText,
    },
  ];
  const timings = reports.map((report) => ({
    report,
    milliseconds: [] as number[],
    failures: new Map<string, number>(),
    sizes: [] as number[][],
    timeouts: 0,
  }));
  const headers = { authorization: `Bearer ${options.analystKey}` };
  const rounds = options.warmUp + options.requests;
  for (let round = 0; round < rounds; round++) {
    for (const timing of timings) {
      // A report that keeps running into the timeout would hold the bench for hours: it is given up.
      if (timing.timeouts >= TIMEOUTS_BEFORE_GIVING_UP) continue;
      const timed = round >= options.warmUp;
      const fail = (reason: string): void => {
        if (timed) timing.failures.set(reason, (timing.failures.get(reason) ?? 0) + 1);
      };
      try {
        const answer = await api.request('GET', timing.report.path(round), { headers, timeoutMs: options.timeoutMs });
        timing.timeouts = 0;
        if (answer.status !== 200) fail(describeRefusal(answer));
        else if (timed) {
          timing.milliseconds.push(answer.milliseconds);
          timing.sizes.push(timing.report.size(answer.body));
        }
      } catch (error) {
        if (error instanceof NoAnswerInTime) timing.timeouts += 1;
        fail(error instanceof Error ? error.message : String(error));
        if (timing.timeouts >= TIMEOUTS_BEFORE_GIVING_UP) {
          timing.failures.set(`given up after ${TIMEOUTS_BEFORE_GIVING_UP} timeouts in a row`, 1);
        }
      }
    }
    process.stderr.write(`(c) round ${round + 1} of ${rounds}${round < options.warmUp ? ' (warm-up)' : ''} done\n`);
  }
  return timings.map(({ report, milliseconds, failures, sizes }) => ({
    report: report.name,
    example: report.path(options.warmUp),
    milliseconds,
    failures,
    answerSize: report.describeSize(sizes),
  }));
}
