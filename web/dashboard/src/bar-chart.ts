import type { Chart as ChartType } from 'chart.js';
import { h } from './dom.js';

/** Chart.js, loaded by its own script tag from the build (no CDN): its UMD file defines this global. */
declare const Chart: typeof ChartType;

/** Okabe–Ito: told apart by readers with any common colour-vision deficiency. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export interface BarData {
  labels: string[];
  series: Array<{ label: string; values: number[] }>;
}

/**
 * A stacked horizontal bar chart. The canvas is an image with a label naming its table (each
 * chart is shown beside the table of the same figures, which screen readers and keyboards use).
 */
export function barChart(caption: string, id: string, data: BarData): HTMLElement {
  const canvas = h('canvas', { id, role: 'img', 'aria-label': caption });
  const figure = h('figure', { class: 'chart' }, h('div', { class: 'chart-box' }, canvas), h('figcaption', {}, caption));
  // Drawn once the figure is in the document, so the canvas has its size.
  queueMicrotask(() => {
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: data.labels,
        datasets: data.series.map((series, index) => ({
          label: series.label,
          data: series.values,
          backgroundColor: PALETTE[index % PALETTE.length],
          borderColor: '#ffffff',
          borderWidth: 1,
        })),
      },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
  });
  return figure;
}
