import type { Chart as ChartType } from 'chart.js';
import { h } from './dom.js';

/** Chart.js, loaded by its own script tag from the build (no CDN): its UMD file defines this global. */
declare const Chart: typeof ChartType;

/** Okabe–Ito: told apart by readers with any common colour-vision deficiency. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export interface ChartData {
  labels: string[];
  series: Array<{ label: string; values: Array<number | null> }>;
}

export interface ChartShape {
  /** bars, lines, or areas (lines filled down to the series below) */
  kind: 'bar' | 'line' | 'area';
  /** series on top of each other */
  stacked?: boolean;
  /** bars along the x axis, categories down the side */
  horizontal?: boolean;
}

/**
 * A chart. The canvas is an image labelled with its caption; each chart is shown beside the
 * table of the same figures, which screen readers and keyboards use.
 */
export function chart(caption: string, id: string, data: ChartData, shape: ChartShape): HTMLElement {
  const canvas = h('canvas', { id, role: 'img', 'aria-label': caption });
  const figure = h('figure', { class: 'chart' }, h('div', { class: 'chart-box' }, canvas), h('figcaption', {}, caption));
  const stacked = shape.stacked ?? false;
  // Drawn once the figure is in the document, so the canvas has its size.
  queueMicrotask(() => {
    new Chart(canvas, {
      type: shape.kind === 'bar' ? 'bar' : 'line',
      data: {
        labels: data.labels,
        datasets: data.series.map((series, index) => ({
          label: series.label,
          data: series.values,
          backgroundColor: PALETTE[index % PALETTE.length],
          borderColor: shape.kind === 'bar' ? '#ffffff' : PALETTE[index % PALETTE.length],
          borderWidth: shape.kind === 'bar' ? 1 : 2,
          fill: shape.kind === 'area' ? (index === 0 ? 'origin' : '-1') : false,
          pointRadius: shape.kind === 'bar' ? undefined : 2,
        })),
      },
      options: {
        indexAxis: shape.horizontal ? 'y' : 'x',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked, beginAtZero: true }, y: { stacked, beginAtZero: true } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
  });
  return figure;
}

/** The stacked horizontal bars of the unit performance report. */
export function barChart(caption: string, id: string, data: ChartData): HTMLElement {
  return chart(caption, id, data, { kind: 'bar', stacked: true, horizontal: true });
}

/**
 * A tile's trend as a small line, without axes. Decorative for assistive technology (hidden from
 * it): the same daily figures are the Trends view's table.
 */
export function sparkline(values: Array<number | null>, labels: string[]): HTMLElement {
  const canvas = h('canvas', { 'aria-hidden': 'true' });
  const box = h('div', { class: 'sparkline', 'aria-hidden': 'true' }, canvas);
  queueMicrotask(() => {
    new Chart(canvas, {
      type: 'line',
      data: { labels, datasets: [{ data: values, borderColor: PALETTE[0], borderWidth: 1.5, pointRadius: 0, fill: false }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { display: false }, y: { display: false } },
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
      },
    });
  });
  return box;
}
