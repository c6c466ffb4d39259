import { getJson, query, type Report } from '../api.js';
import type { ViewContext } from '../context.js';
import { h } from '../dom.js';
import { formatCount, formatDuration, formatPercent } from '../format.js';
import { previousPeriod, type Period } from '../period.js';
import { sparkline } from '../bar-chart.js';

interface Distribution {
  n: number;
  p50: number | null;
  p90: number | null;
}

/** The fields of a GET /reports/kpis entry the tiles show. */
interface KpiEntry {
  volume: number;
  frt: Distribution;
  trt: Distribution;
  on_time_response_pct: number | null;
  sla_compliance_pct: number | null;
  fcr_system_pct: number | null;
  fcr_survey_pct: number | null;
  csat_pct: number | null;
  dsat_pct: number | null;
}

interface BacklogRow {
  day: string;
  count: number;
  over_target: number;
}

type TileKey =
  | 'volume'
  | 'frt_p50'
  | 'frt_p90'
  | 'trt_p50'
  | 'on_time_response_pct'
  | 'sla_compliance_pct'
  | 'fcr_system_pct'
  | 'fcr_survey_pct'
  | 'csat_pct'
  | 'dsat_pct'
  | 'backlog'
  | 'backlog_over_target';

type Figures = Record<TileKey, number | null>;
type Kind = 'count' | 'duration' | 'percent';

const TILES: Array<[TileKey, Kind]> = [
  ['volume', 'count'],
  ['frt_p50', 'duration'],
  ['frt_p90', 'duration'],
  ['trt_p50', 'duration'],
  ['on_time_response_pct', 'percent'],
  ['sla_compliance_pct', 'percent'],
  ['fcr_system_pct', 'percent'],
  ['fcr_survey_pct', 'percent'],
  ['csat_pct', 'percent'],
  ['dsat_pct', 'percent'],
  ['backlog', 'count'],
  ['backlog_over_target', 'count'],
];

/**
 * The figures of one period: the KPI summary over the tickets opened in it, and the backlog at
 * the end of its last day (as of asOf when the period is still running: later days are left out).
 */
/** One request per path within a view: the period's backlog serves both its tile and its small line. */
type Get = <T>(path: string) => Promise<T>;

function requestOnce(): Get {
  const answers = new Map<string, Promise<unknown>>();
  return <T>(path: string): Promise<T> => {
    let answer = answers.get(path);
    if (answer === undefined) {
      answer = getJson<T>(path);
      answers.set(path, answer);
    }
    return answer as Promise<T>;
  };
}

async function figuresOf(context: ViewContext, period: Period, get: Get): Promise<Figures> {
  const [kpis, backlog] = await Promise.all([
    get<Report<KpiEntry>>(`/reports/kpis?${query(context.window(period, true))}`),
    get<Report<BacklogRow>>(`/reports/backlog?${query(context.window(period))}`),
  ]);
  const entry = kpis.rows[0];
  const lastDay = backlog.rows.reduce<string | undefined>(
    (last, row) => (last === undefined || row.day > last ? row.day : last),
    undefined,
  );
  const atEnd = backlog.rows.filter((row) => row.day === lastDay);
  return {
    volume: entry?.volume ?? 0,
    frt_p50: entry?.frt.p50 ?? null,
    frt_p90: entry?.frt.p90 ?? null,
    trt_p50: entry?.trt.p50 ?? null,
    on_time_response_pct: entry?.on_time_response_pct ?? null,
    sla_compliance_pct: entry?.sla_compliance_pct ?? null,
    fcr_system_pct: entry?.fcr_system_pct ?? null,
    fcr_survey_pct: entry?.fcr_survey_pct ?? null,
    csat_pct: entry?.csat_pct ?? null,
    dsat_pct: entry?.dsat_pct ?? null,
    backlog: lastDay === undefined ? null : atEnd.reduce((sum, row) => sum + row.count, 0),
    backlog_over_target: lastDay === undefined ? null : atEnd.reduce((sum, row) => sum + row.over_target, 0),
  };
}

function format(kind: Kind, value: number | null, notAvailable: string): string {
  switch (kind) {
    case 'count':
      return formatCount(value, notAvailable);
    case 'duration':
      return formatDuration(value, notAvailable);
    case 'percent':
      return formatPercent(value, notAvailable);
  }
}

interface DailyEntry extends KpiEntry {
  bucket: { start: string } | null;
}

/** Each tile's figure per day of the period, for its small line: the KPI summary bucketed by day and the backlog series. */
async function dailyOf(context: ViewContext, get: Get): Promise<{ days: string[]; values: Record<TileKey, Array<number | null>> }> {
  const [kpis, backlog] = await Promise.all([
    get<Report<DailyEntry>>(`/reports/kpis?${query({ ...context.window(undefined, true), bucket: 'day' })}`),
    get<Report<BacklogRow>>(`/reports/backlog?${query(context.window())}`),
  ]);
  const days = [...new Set([...kpis.rows.map((row) => row.bucket?.start ?? ''), ...backlog.rows.map((row) => row.day)])].sort();
  const entryOf = new Map(kpis.rows.map((row) => [row.bucket?.start ?? '', row]));
  const backlogOf = (day: string, figure: 'count' | 'over_target') =>
    backlog.rows.filter((row) => row.day === day).reduce<number | null>((sum, row) => (sum ?? 0) + row[figure], null);
  const series = (pick: (entry: DailyEntry) => number | null) =>
    days.map((day) => {
      const entry = entryOf.get(day);
      return entry === undefined ? null : pick(entry);
    });
  return {
    days,
    values: {
      volume: series((e) => e.volume),
      frt_p50: series((e) => e.frt.p50),
      frt_p90: series((e) => e.frt.p90),
      trt_p50: series((e) => e.trt.p50),
      on_time_response_pct: series((e) => e.on_time_response_pct),
      sla_compliance_pct: series((e) => e.sla_compliance_pct),
      fcr_system_pct: series((e) => e.fcr_system_pct),
      fcr_survey_pct: series((e) => e.fcr_survey_pct),
      csat_pct: series((e) => e.csat_pct),
      dsat_pct: series((e) => e.dsat_pct),
      backlog: days.map((day) => backlogOf(day, 'count')),
      backlog_over_target: days.map((day) => backlogOf(day, 'over_target')),
    },
  };
}

/**
 * The tiles as soon as the period's and the previous period's figures are in; the small lines
 * follow when the daily series, asked for after them, arrives (not what an analyst waits for).
 */
export async function overviewView(context: ViewContext): Promise<HTMLElement[]> {
  const { labels } = context;
  const previous = previousPeriod(context.state.period);
  const get = requestOnce();
  const [now, before] = await Promise.all([figuresOf(context, context.state.period, get), figuresOf(context, previous, get)]);
  // Asked for only now: sent with the figures, it took a report connection and CPU from them
  // (bench dashboard at 150,000 tickets: the overview's median went from about 620 ms to 1,100).
  const daily = dailyOf(context, get);
  const na = labels.overview.notAvailable;
  const lines = new Map<TileKey, HTMLElement>(TILES.map(([key]) => [key, h('div', { class: 'sparkline-slot' })]));
  const tiles = TILES.map(([key, kind]) =>
    h(
      'li',
      { class: 'tile', 'data-kpi': key },
      h('span', { class: 'tile-label', id: `tile-${key}` }, labels.overview.tiles[key]),
      h('span', { class: 'tile-value', 'data-value': String(now[key]) }, format(kind, now[key], na)),
      h(
        'span',
        { class: 'tile-previous', 'data-value': String(before[key]) },
        `${labels.overview.previous} (${previous.from} – ${previous.to}): ${format(kind, before[key], na)}`,
      ),
      lines.get(key),
    ),
  );
  const list = h('ul', { class: 'tiles', 'aria-label': labels.overview.heading }, ...tiles);
  const note = h('p', { class: 'showing', id: 'trend-lines' });
  daily
    .then((series) => {
      for (const [key, slot] of lines) slot.append(sparkline(series.values[key], series.days));
      list.dataset.linesReady = 'true';
    })
    .catch((error: unknown) => {
      note.textContent = `${labels.overview.linesFailed}: ${error instanceof Error ? error.message : String(error)}`;
      list.dataset.linesReady = 'failed';
    });
  return [list, note];
}
