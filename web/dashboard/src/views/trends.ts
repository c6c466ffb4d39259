import { getJson, query, type Report } from '../api.js';
import { chart } from '../bar-chart.js';
import type { ViewContext } from '../context.js';
import { h } from '../dom.js';
import { formatCount, formatDuration, formatPercent } from '../format.js';
import { table } from '../table.js';

interface KpiBucketEntry {
  bucket: { start: string; from: string; to: string } | null;
  volume: number;
  frt: { p50: number | null; p90: number | null };
  on_time_response_pct: number | null;
}

interface BacklogRow {
  day: string;
  unit_id: string;
  count: number;
  over_target: number;
  lt1d: number;
  '1to3d': number;
  '3to7d': number;
  ge7d: number;
}

interface TopCategory {
  category: string;
  volume: number;
  on_time_response_pct: number | null;
  request_met_pct: number | null;
}

const AGES = ['lt1d', '1to3d', '3to7d', 'ge7d'] as const;
type BacklogDay = Pick<BacklogRow, 'day' | 'count' | 'over_target' | (typeof AGES)[number]>;

/** The backlog report's rows (a day and unit each) summed per day over the units. */
function perDay(rows: BacklogRow[]): BacklogDay[] {
  const days = new Map<string, BacklogDay>();
  for (const row of rows) {
    const day = days.get(row.day) ?? { day: row.day, count: 0, over_target: 0, lt1d: 0, '1to3d': 0, '3to7d': 0, ge7d: 0 };
    day.count += row.count;
    day.over_target += row.over_target;
    for (const age of AGES) day[age] += row[age];
    days.set(row.day, day);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** Daily or weekly series (KPI summary bucketed), the backlog stock by age, and the top categories. */
export async function trendsView(context: ViewContext): Promise<HTMLElement[]> {
  const { labels } = context;
  const t = labels.trends;
  const na = labels.overview.notAvailable;
  const bucket = context.params.get('bucket') === 'week' ? 'week' : 'day';
  const seriesPath = `/reports/kpis?${query({ ...context.window(undefined, true), bucket })}`;
  const backlogPath = `/reports/backlog?${query(context.window())}`;
  const topPath = `/reports/top-categories?${query({ ...context.window(undefined, true), n: 10 })}`;
  const [series, backlog, top] = await Promise.all([
    getJson<Report<KpiBucketEntry>>(seriesPath),
    getJson<Report<BacklogRow>>(backlogPath),
    getJson<Report<TopCategory>>(topPath),
  ]);
  const buckets = series.rows.map((row) => row.bucket?.start ?? '');
  const days = perDay(backlog.rows);
  const bucketLinks = h(
    'p',
    { class: 'buckets' },
    `${t.seriesBy}: `,
    ...(['day', 'week'] as const).flatMap((choice, index) => [
      index > 0 ? ' | ' : '',
      choice === bucket
        ? h('strong', { 'aria-current': 'true' }, t.buckets[choice])
        : h('a', { href: context.href('/trends', { bucket: choice }) }, t.buckets[choice]),
    ]),
  );
  return [
    h(
      'section',
      { 'aria-labelledby': 'trends-series-heading' },
      h('h2', { id: 'trends-series-heading' }, t.seriesTable),
      bucketLinks,
      h(
        'div',
        { class: 'charts' },
        chart(
          t.volumeChart,
          'volume-chart',
          { labels: buckets, series: [{ label: t.seriesColumns.volume, values: series.rows.map((r) => r.volume) }] },
          { kind: 'bar' },
        ),
        chart(
          t.frtChart,
          'frt-chart',
          {
            labels: buckets,
            series: [
              {
                label: t.seriesColumns.frt_p50,
                values: series.rows.map((r) => (r.frt.p50 === null ? null : Math.round((r.frt.p50 / 3600) * 100) / 100)),
              },
            ],
          },
          { kind: 'line' },
        ),
        chart(
          t.onTimeChart,
          'on-time-chart',
          {
            labels: buckets,
            series: [
              {
                label: t.seriesColumns.on_time_response_pct,
                values: series.rows.map((r) => (r.on_time_response_pct === null ? null : Math.round(r.on_time_response_pct * 1000) / 10)),
              },
            ],
          },
          { kind: 'line' },
        ),
      ),
      table(labels, {
        id: 'series-table',
        caption: t.seriesTable,
        columns: [
          { key: 'bucket', label: t.seriesColumns.bucket, cell: (r: KpiBucketEntry) => r.bucket?.start ?? labels.none },
          { key: 'volume', label: t.seriesColumns.volume, numeric: true, cell: (r) => formatCount(r.volume, na) },
          { key: 'frt_p50', label: t.seriesColumns.frt_p50, numeric: true, cell: (r) => formatDuration(r.frt.p50, na) },
          { key: 'frt_p90', label: t.seriesColumns.frt_p90, numeric: true, cell: (r) => formatDuration(r.frt.p90, na) },
          {
            key: 'on_time_response_pct',
            label: t.seriesColumns.on_time_response_pct,
            numeric: true,
            cell: (r) => formatPercent(r.on_time_response_pct, na),
          },
        ],
        rows: series.rows,
        csvPath: seriesPath,
      }),
    ),
    h(
      'section',
      { 'aria-labelledby': 'trends-backlog-heading' },
      h('h2', { id: 'trends-backlog-heading' }, t.backlogChart),
      chart(
        t.backlogChart,
        'backlog-chart',
        { labels: days.map((d) => d.day), series: AGES.map((age) => ({ label: t.backlogColumns[age], values: days.map((d) => d[age]) })) },
        { kind: 'area', stacked: true },
      ),
      table(labels, {
        id: 'backlog-table',
        caption: t.backlogTable,
        columns: [
          { key: 'day', label: t.backlogColumns.day, cell: (d: BacklogDay) => d.day },
          ...(['count', 'over_target', ...AGES] as const).map((key) => ({
            key,
            label: t.backlogColumns[key],
            numeric: true,
            cell: (d: BacklogDay) => String(d[key]),
          })),
        ],
        rows: days,
        csvPath: backlogPath,
      }),
    ),
    h(
      'section',
      { 'aria-labelledby': 'trends-top-heading' },
      h('h2', { id: 'trends-top-heading' }, t.topTable),
      chart(
        t.topChart,
        'top-chart',
        { labels: top.rows.map((r) => r.category), series: [{ label: t.topColumns.volume, values: top.rows.map((r) => r.volume) }] },
        { kind: 'bar', horizontal: true },
      ),
      table(labels, {
        id: 'top-table',
        caption: t.topTable,
        columns: [
          { key: 'category', label: t.topColumns.category, cell: (r: TopCategory) => r.category },
          {
            key: 'volume',
            label: t.topColumns.volume,
            numeric: true,
            // The tickets opened in the period in this category: the list the report names for a row.
            cell: (r) =>
              h(
                'a',
                {
                  href: context.href('/tickets', { report: 'opened', category: r.category, column: 'volume' }),
                  'aria-label': `${labels.units.drill} ${r.category}, ${t.topColumns.volume}: ${r.volume}`,
                },
                String(r.volume),
              ),
          },
          {
            key: 'on_time_response_pct',
            label: t.topColumns.on_time_response_pct,
            numeric: true,
            cell: (r) => formatPercent(r.on_time_response_pct, na),
          },
          { key: 'request_met_pct', label: t.topColumns.request_met_pct, numeric: true, cell: (r) => formatPercent(r.request_met_pct, na) },
        ],
        rows: top.rows,
        csvPath: topPath,
      }),
    ),
  ];
}
