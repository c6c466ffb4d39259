import { h } from './dom.js';
import type { ViewContext } from './context.js';
import { localDay, presetPeriod, PRESETS, type Preset } from './period.js';

/** The period picker (day, week, month, custom [from, to)), asOf and calendar/business time; applying it changes the URL. */
export function periodPicker(context: ViewContext, onApply: (search: URLSearchParams) => void): HTMLElement {
  const { labels, state } = context;
  const preset = h(
    'select',
    { id: 'period-preset', name: 'preset' },
    ...PRESETS.map((p) => h('option', { value: p }, labels.period.presets[p])),
  );
  preset.value = state.period.preset;
  const from = h('input', { id: 'period-from', name: 'from', type: 'date', value: state.period.from, required: '' });
  const to = h('input', { id: 'period-to', name: 'to', type: 'date', value: state.period.to, required: '' });
  const asOf = h('input', { id: 'period-as-of', name: 'asOf', type: 'text', value: state.asOf, inputmode: 'text', spellcheck: 'false' });
  const time = h(
    'select',
    { id: 'period-time', name: 'time' },
    h('option', { value: 'calendar' }, labels.period.times.calendar),
    h('option', { value: 'business' }, labels.period.times.business),
  );
  time.value = state.time;
  const syncCustom = () => {
    const custom = preset.value === 'custom';
    from.disabled = !custom;
    to.disabled = !custom;
  };
  preset.addEventListener('change', () => {
    if (preset.value !== 'custom') {
      const period = presetPeriod(preset.value as Exclude<Preset, 'custom'>, localDay(asOf.value || state.asOf, context.session.timeZone));
      from.value = period.from;
      to.value = period.to;
    }
    syncCustom();
  });
  syncCustom();
  const form = h(
    'form',
    { class: 'picker', 'aria-label': labels.period.legend },
    field(labels.period.preset, preset),
    field(labels.period.from, from),
    field(labels.period.to, to),
    field(labels.period.asOf, asOf),
    field(labels.period.time, time),
    h('button', { type: 'submit', id: 'period-apply' }, labels.period.apply),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onApply(new URLSearchParams({ preset: preset.value, from: from.value, to: to.value, asOf: asOf.value, time: time.value }));
  });
  return form;
}

function field(label: string, control: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), control);
}
