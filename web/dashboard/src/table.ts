import { getCsv } from './api.js';
import { h } from './dom.js';
import type { Labels } from './labels.js';

export interface Column<Row> {
  key: string;
  label: string;
  /** numbers are right-aligned */
  numeric?: boolean;
  cell(row: Row): Node | string;
}

/**
 * A table with its caption, and the same rows as the API's CSV (`csvPath`, fetched with
 * Accept: text/csv and saved byte for byte). A chart's table is one of these.
 */
export function table<Row>(
  labels: Labels,
  options: { id: string; caption: string; columns: Column<Row>[]; rows: Row[]; csvPath?: string },
): HTMLElement {
  const head = h(
    'tr',
    {},
    ...options.columns.map((column) => h('th', { scope: 'col', class: column.numeric ? 'num' : undefined }, column.label)),
  );
  const body = options.rows.map((row) =>
    h(
      'tr',
      {},
      ...options.columns.map((column, index) =>
        index === 0
          ? h('th', { scope: 'row', 'data-column': column.key }, column.cell(row))
          : h('td', { class: column.numeric ? 'num' : undefined, 'data-column': column.key }, column.cell(row)),
      ),
    ),
  );
  const element = h(
    'table',
    { id: options.id },
    h('caption', {}, options.caption),
    h('thead', {}, head),
    h('tbody', {}, ...(body.length > 0 ? body : [h('tr', {}, h('td', { colspan: String(options.columns.length) }, labels.table.empty))])),
  );
  const wrapper = h('div', { class: 'table-block' });
  if (options.csvPath !== undefined) wrapper.append(csvButton(labels, options.csvPath, `${options.id}-csv`));
  wrapper.append(h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': options.caption }, element));
  return wrapper;
}

function csvButton(labels: Labels, path: string, id: string): HTMLButtonElement {
  const button = h('button', { type: 'button', id, class: 'csv' }, labels.table.csv);
  button.addEventListener('click', () => {
    void getCsv(path).then(({ blob, fileName }) => {
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: fileName });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  });
  return button;
}
