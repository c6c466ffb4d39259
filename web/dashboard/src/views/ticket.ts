import { getJson } from '../api.js';
import type { ViewContext } from '../context.js';
import { clear, h } from '../dom.js';
import { formatInstant } from '../format.js';
import { table, type Column } from '../table.js';

interface TicketState {
  ticketId: string;
  status: string;
  unitId: string;
  holder: string | null;
  channel: string;
  category: string;
  priority: string;
  subject: string;
  openedAt: string;
  poolWait: { claimDueAt: string | null } | null;
  cycle: { responseDueAt: string | null; resolutionDueAt: string | null };
}

interface LogEntry {
  revision: number;
  type: string;
  occurredAt: string | null;
  data: Record<string, unknown>;
  metadata: { actor?: { kind?: string; userId?: string | null; service?: string } } & Record<string, unknown>;
}

interface TicketLog {
  ticketId: string;
  events: LogEntry[];
  nextFromRevision: number | null;
}

/** A logbook line: the event, and where the ticket stood after it (its unit and holder, or closed). */
interface Line {
  entry: LogEntry;
  unit: string;
  holder: string | null;
  closed: boolean;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Where the ticket is after each event, read off the events themselves. */
function linesOf(events: LogEntry[]): Line[] {
  let unit = '';
  let holder: string | null = null;
  let closed = false;
  return events.map((entry) => {
    const data = entry.data;
    switch (entry.type) {
      case 'TicketOpened':
        unit = text(data.unitId) ?? unit;
        holder = null;
        break;
      case 'TicketRouted':
        unit = text(data.toUnitId) ?? unit;
        holder = null;
        break;
      case 'TicketClaimed':
        unit = text(data.unitId) ?? unit;
        holder = text(data.userId);
        break;
      case 'TicketClosed':
        unit = text(data.unitId) ?? unit;
        holder = null;
        closed = true;
        break;
      case 'TicketReopened':
        holder = null;
        closed = false;
        break;
      case 'TicketReleased':
        holder = null;
        break;
      default:
        break;
    }
    return { entry, unit, holder, closed };
  });
}

/** The due times an event set: its `…DueAt` fields, e.g. "claim 2026-11-14 14:03:12". */
function dueTimes(data: Record<string, unknown>, zone: string, none: string): string {
  if (data.dueAt !== undefined) return none;
  const due = Object.entries(data)
    .filter(([key, value]) => key.endsWith('DueAt') && typeof value === 'string')
    .map(([key, value]) => `${key.slice(0, -'DueAt'.length)} ${formatInstant(value as string, zone, none)}`);
  return due.length > 0 ? due.join('; ') : none;
}

function actorOf(entry: LogEntry, none: string): string {
  const actor = entry.metadata.actor;
  const service = text(actor?.service ?? null);
  const who = text(actor?.userId ?? null) ?? actor?.kind ?? none;
  return service === null ? who : `${who} (${service})`;
}

/** Every event of the stream: the log is paged by the API, so the pages are read in turn. */
async function allEvents(id: string): Promise<LogEntry[]> {
  const events: LogEntry[] = [];
  let from: number | null = 0;
  while (from !== null) {
    const page: TicketLog = await getJson<TicketLog>(`/tickets/${encodeURIComponent(id)}/events?fromRevision=${from}`);
    events.push(...page.events);
    from = page.nextFromRevision;
  }
  return events;
}

interface TicketStateAt {
  at: string;
  revision: number;
  state: TicketState;
}

/**
 * The ticket after any event, picked on a slider: its state as the domain replays it at that
 * event's instant (`GET /tickets/{id}/state?at=`, the auditors' replay: status, unit, holder, due
 * times), with the delays its events had written by then. Each instant is asked once.
 */
function asItWas(context: ViewContext, id: string, lines: Line[]): HTMLElement {
  const { labels } = context;
  const l = labels.ticket.asItWas;
  const zone = context.session.timeZone;
  const none = labels.none;
  const slider = h('input', {
    id: 'as-it-was',
    type: 'range',
    min: '0',
    max: String(Math.max(0, lines.length - 1)),
    step: '1',
    value: String(Math.max(0, lines.length - 1)),
    'aria-describedby': 'as-it-was-hint',
  });
  const shown = h('dl', { class: 'summary', id: 'as-it-was-state', 'aria-live': 'polite', 'aria-busy': 'true' });
  const states = new Map<string, Promise<TicketStateAt>>();
  const stateAt = (at: string): Promise<TicketStateAt> => {
    let state = states.get(at);
    if (!state) {
      state = getJson<TicketStateAt>(`/tickets/${encodeURIComponent(id)}/state?at=${encodeURIComponent(at)}`);
      states.set(at, state);
    }
    return state;
  };
  const show = async (): Promise<void> => {
    const index = Number(slider.value);
    const line = lines[index];
    if (line === undefined || line.entry.occurredAt === null) return;
    slider.setAttribute('aria-valuetext', `#${line.entry.revision} ${line.entry.type}`);
    shown.setAttribute('aria-busy', 'true');
    const { revision, state } = await stateAt(line.entry.occurredAt);
    // The slider may have moved on while the state was on its way.
    if (Number(slider.value) !== index) return;
    const delays = lines
      .slice(0, index + 1)
      .filter(({ entry }) => entry.type === 'TicketDelayed')
      .map(({ entry }) => text(entry.data.phase) ?? none);
    const due: Array<[string, string | null]> = [
      [labels.ticket.due.claim, state.poolWait?.claimDueAt ?? null],
      [labels.ticket.due.response, state.cycle.responseDueAt],
      [labels.ticket.due.resolution, state.cycle.resolutionDueAt],
    ];
    const dueText = due
      .filter(([, at]) => at !== null)
      .map(([phase, at]) => `${phase} ${formatInstant(at, zone, none)}`)
      .join('; ');
    clear(shown);
    for (const [term, value] of [
      [l.after, `#${line.entry.revision} ${line.entry.type} ${l.at} ${formatInstant(line.entry.occurredAt, zone, none)}`],
      [l.replayed, `#${revision}`],
      [l.status, state.status],
      [l.unit, state.unitId],
      [l.holder, state.holder ?? (state.status === 'closed' ? none : labels.ticket.nobody)],
      [l.due, dueText === '' ? none : dueText],
      [l.delays, delays.length === 0 ? none : delays.join(', ')],
    ])
      shown.append(h('dt', {}, term), h('dd', {}, value));
    shown.setAttribute('aria-busy', 'false');
  };
  const showReported = (): void => {
    show().catch((error: unknown) => {
      clear(shown);
      shown.append(h('dt', {}, labels.error), h('dd', {}, error instanceof Error ? error.message : String(error)));
      shown.setAttribute('aria-busy', 'false');
    });
  };
  slider.addEventListener('input', showReported);
  showReported();
  return h(
    'section',
    { 'aria-labelledby': 'as-it-was-heading' },
    h('h2', { id: 'as-it-was-heading' }, h('label', { for: 'as-it-was' }, labels.ticket.slider)),
    h('p', { id: 'as-it-was-hint', class: 'showing' }, labels.ticket.sliderHint),
    slider,
    shown,
  );
}

/** The logbook of a complaint: who did what, when, why and where, its due times and its delayed phases. */
export async function ticketView(context: ViewContext, id: string): Promise<HTMLElement[]> {
  const { labels } = context;
  const zone = context.session.timeZone;
  const none = labels.none;
  const [state, events] = await Promise.all([getJson<TicketState>(`/tickets/${encodeURIComponent(id)}`), allEvents(id)]);
  const fields = labels.ticket.fields;
  const summary = h(
    'dl',
    { class: 'summary', id: 'ticket-summary' },
    ...(
      [
        [fields.subject, state.subject],
        [fields.status, state.status],
        [fields.unit, state.unitId],
        [fields.holder, state.holder ?? (state.status === 'closed' ? none : labels.ticket.nobody)],
        [fields.category, state.category],
        [fields.priority, state.priority],
        [fields.channel, state.channel],
        [fields.opened, formatInstant(state.openedAt, zone, none)],
        [labels.ticket.due.claim, formatInstant(state.poolWait?.claimDueAt ?? null, zone, none)],
        [labels.ticket.due.response, formatInstant(state.cycle.responseDueAt, zone, none)],
        [labels.ticket.due.resolution, formatInstant(state.cycle.resolutionDueAt, zone, none)],
      ] as Array<[string, string]>
    ).flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
  );
  const columns = labels.ticket.columns;
  const delays = events.filter((entry) => entry.type === 'TicketDelayed');
  const delayColumns: Column<LogEntry>[] = [
    { key: 'phase', label: columns.phase, cell: (entry) => text(entry.data.phase) ?? none },
    { key: 'dueAt', label: columns.dueAt, cell: (entry) => formatInstant(text(entry.data.dueAt), zone, none) },
    { key: 'unit', label: columns.unit, cell: (entry) => text(entry.data.unitId) ?? none },
    { key: 'userId', label: columns.userId, cell: (entry) => text(entry.data.userId) ?? none },
    { key: 'occurredAt', label: columns.occurredAt, cell: (entry) => formatInstant(entry.occurredAt, zone, none) },
  ];
  const lineColumns: Column<Line>[] = [
    { key: 'revision', label: columns.revision, numeric: true, cell: (line) => String(line.entry.revision) },
    { key: 'occurredAt', label: columns.occurredAt, cell: (line) => formatInstant(line.entry.occurredAt, zone, none) },
    { key: 'type', label: columns.type, cell: (line) => line.entry.type },
    { key: 'actor', label: columns.actor, cell: (line) => actorOf(line.entry, none) },
    { key: 'reason', label: columns.reason, cell: (line) => text(line.entry.data.reason) ?? none },
    { key: 'unit', label: columns.unit, cell: (line) => line.unit || none },
    { key: 'holder', label: columns.holder, cell: (line) => line.holder ?? (line.closed ? none : labels.ticket.nobody) },
    { key: 'due', label: columns.due, cell: (line) => dueTimes(line.entry.data, zone, none) },
  ];
  return [
    h('p', {}, h('a', { href: `/tickets/${encodeURIComponent(id)}/events`, id: 'events-json' }, labels.ticket.eventsAsJson)),
    asItWas(context, id, linesOf(events)),
    h(
      'section',
      { 'aria-labelledby': 'ticket-summary-heading' },
      h('h2', { id: 'ticket-summary-heading' }, labels.ticket.summary),
      summary,
    ),
    h(
      'section',
      { 'aria-labelledby': 'ticket-delays-heading' },
      h('h2', { id: 'ticket-delays-heading' }, labels.ticket.delayedPhases),
      delays.length === 0
        ? h('p', {}, labels.ticket.noDelays)
        : table(labels, { id: 'delays-table', caption: labels.ticket.delayedPhases, columns: delayColumns, rows: delays }),
    ),
    h(
      'section',
      { 'aria-labelledby': 'ticket-log-heading' },
      h('h2', { id: 'ticket-log-heading' }, labels.ticket.logbook),
      table(labels, { id: 'logbook-table', caption: labels.ticket.logbook, columns: lineColumns, rows: linesOf(events) }),
    ),
  ];
}
