import type { Session } from './api.js';
import type { Labels } from './labels.js';
import { isDay, localDay, presetPeriod, PRESETS, type Period, type Preset, type ReportTime } from './period.js';

/** What every view is shown for: the period, asOf and time, kept in the URL's fragment so a view can be bookmarked and shared. */
export interface ViewState {
  period: Period;
  asOf: string;
  time: ReportTime;
}

export interface ViewContext {
  labels: Labels;
  session: Session;
  state: ViewState;
  /** the route's own parameters (unit, column, offset …) */
  params: URLSearchParams;
  /** `#/path?state&extra`: a link to another view with the same period */
  href(path: string, extra?: Record<string, string | number | null | undefined>): string;
  /** the report query for the state's period: asOf, from, to (and time) */
  window(period?: Period, withTime?: boolean): Record<string, string>;
  /** run when the view is left (a live stream to close) */
  onLeave(dispose: () => void): void;
}

export function readState(params: URLSearchParams, session: Session, now: Date): ViewState {
  const asOfParam = params.get('asOf');
  const asOf = asOfParam !== null && !Number.isNaN(Date.parse(asOfParam)) ? asOfParam : now.toISOString();
  const preset = (PRESETS as readonly string[]).includes(params.get('preset') ?? '') ? (params.get('preset') as Preset) : undefined;
  const from = params.get('from');
  const to = params.get('to');
  const time: ReportTime = params.get('time') === 'business' ? 'business' : 'calendar';
  if (isDay(from) && isDay(to) && from < to) return { period: { preset: preset ?? 'custom', from, to }, asOf, time };
  const chosen = preset === undefined || preset === 'custom' ? 'month' : preset;
  return { period: presetPeriod(chosen, localDay(asOf, session.timeZone)), asOf, time };
}

export function stateQuery(state: ViewState): Record<string, string> {
  return { preset: state.period.preset, from: state.period.from, to: state.period.to, asOf: state.asOf, time: state.time };
}

export function makeContext(
  labels: Labels,
  session: Session,
  state: ViewState,
  params: URLSearchParams,
  onLeave: (dispose: () => void) => void,
): ViewContext {
  return {
    labels,
    session,
    state,
    params,
    href(path, extra = {}) {
      const search = new URLSearchParams(stateQuery(state));
      for (const [name, value] of Object.entries(extra)) if (value !== null && value !== undefined) search.set(name, String(value));
      return `#${path}?${search.toString()}`;
    },
    window(period = state.period, withTime = false) {
      return { asOf: state.asOf, from: period.from, to: period.to, ...(withTime ? { time: state.time } : {}) };
    },
    onLeave,
  };
}
