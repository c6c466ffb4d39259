import { query, getJson, type Report } from '../api.js';
import type { ViewContext } from '../context.js';
import { h } from '../dom.js';
import { table, type Column } from '../table.js';
import { barChart } from '../bar-chart.js';

/** A row of the unit performance report, per unit, user or category. */
export interface UnitRow {
  unit_id: string;
  user_id?: string;
  category?: string;
  total: number;
  delayed: number;
  on_time: number;
  pool_delayed: number | null;
  in_pool: number;
  in_progress: number;
  routed_out: number;
  closed: number;
}

export const COUNT_COLUMNS = ['total', 'on_time', 'delayed', 'pool_delayed', 'in_pool', 'in_progress', 'routed_out', 'closed'] as const;

type Level = { kind: 'units' } | { kind: 'users'; unit: string } | { kind: 'categories'; unit: string };

function countColumns(context: ViewContext, level: Level): Column<UnitRow>[] {
  const { labels } = context;
  return COUNT_COLUMNS.map((column) => ({
    key: column,
    label: labels.units.columns[column],
    numeric: true,
    cell: (row: UnitRow) => {
      const value = row[column];
      if (value === null) return labels.none;
      // Every number lists the tickets it counts: GET /reports/tickets for the same cell.
      const href = context.href('/tickets', {
        unit: row.unit_id,
        column,
        ...(level.kind === 'users' ? { user: row.user_id } : {}),
        ...(level.kind === 'categories' ? { category: row.category } : {}),
      });
      const who = row.user_id ?? row.category ?? row.unit_id;
      return h('a', { href, 'aria-label': `${labels.units.drill} ${who}, ${labels.units.columns[column]}: ${value}` }, String(value));
    },
  }));
}

export async function unitsView(context: ViewContext): Promise<HTMLElement[]> {
  const { labels } = context;
  const path = `/reports/units?${query(context.window())}`;
  const report = await getJson<Report<UnitRow>>(path);
  const first: Column<UnitRow> = {
    key: 'unit_id',
    label: labels.units.columns.unit_id,
    cell: (row) =>
      h(
        'span',
        { class: 'unit-cell' },
        h('span', { class: 'unit-name' }, row.unit_id),
        ' (',
        h('a', { href: context.href(`/units/${encodeURIComponent(row.unit_id)}/users`) }, labels.units.users),
        ', ',
        h('a', { href: context.href(`/units/${encodeURIComponent(row.unit_id)}/categories`) }, labels.units.categories),
        ')',
      ),
  };
  return [
    barChart(labels.units.chartCaption, 'units-chart', {
      labels: report.rows.map((row) => row.unit_id),
      series: [
        { label: labels.units.columns.on_time, values: report.rows.map((row) => row.on_time) },
        { label: labels.units.columns.delayed, values: report.rows.map((row) => row.delayed) },
      ],
    }),
    table(labels, {
      id: 'units-table',
      caption: labels.units.heading,
      columns: [first, ...countColumns(context, { kind: 'units' })],
      rows: report.rows,
      csvPath: path,
    }),
  ];
}

export async function unitDrillView(context: ViewContext, unit: string, kind: 'users' | 'categories'): Promise<HTMLElement[]> {
  const { labels } = context;
  const path = `/reports/units/${encodeURIComponent(unit)}/${kind}?${query(context.window())}`;
  const report = await getJson<Report<UnitRow>>(path);
  const first: Column<UnitRow> =
    kind === 'users'
      ? { key: 'user_id', label: labels.units.columns.user_id, cell: (row) => row.user_id ?? labels.none }
      : { key: 'category', label: labels.units.columns.category, cell: (row) => row.category ?? labels.none };
  return [
    table(labels, {
      id: `unit-${kind}-table`,
      caption: `${kind === 'users' ? labels.units.usersOf : labels.units.categoriesOf} ${unit}`,
      columns: [first, ...countColumns(context, { kind, unit })],
      rows: report.rows,
      csvPath: path,
    }),
  ];
}
