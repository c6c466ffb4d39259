import type { ViewContext } from '../context.js';
import { clear, h } from '../dom.js';
import { formatInstant } from '../format.js';

/** The kinds the Live view counts (projections/notifications/notification-kinds.ts). */
export const LIVE_KINDS = ['ticket.delayed', 'ticket.breach_warned', 'ticket.escalated'] as const;
type LiveKind = (typeof LIVE_KINDS)[number];

interface Notification {
  seq: number;
  kind: string;
  ticketId: string;
  unitId: string | null;
  userId: string | null;
  occurredAt: string;
}

const HOUR_MS = 60 * 60 * 1000;
const LATEST = 20;

/**
 * Counts of delays, breach warnings and escalations in the last hour, from the Server-Sent
 * Events of GET /events/stream (the session cookie opens it), updated as they arrive without a
 * reload. The stream starts at the moment the page connects, so the hour is counted from then:
 * the page says so. The connection is closed when the view is left.
 */
export function liveView(context: ViewContext): HTMLElement[] {
  const { labels } = context;
  const l = labels.live;
  const zone = context.session.timeZone;
  const received: Array<{ at: number; notification: Notification }> = [];
  const openedAt = new Date();
  const countCells = new Map<LiveKind, HTMLElement>(
    LIVE_KINDS.map((kind) => [kind, h('dd', { id: `live-${kind.split('.')[1]}`, class: 'live-count' }, '0')]),
  );
  const counts = h(
    'dl',
    { class: 'live-counts', 'aria-live': 'polite', 'aria-label': l.counts },
    ...LIVE_KINDS.map((kind) => h('div', {}, h('dt', {}, l.kinds[kind]), countCells.get(kind) as HTMLElement)),
  );
  const status = h('p', { id: 'live-status', role: 'status' }, '');
  const body = h('tbody', {});
  const columns = l.columns;
  const latest = h(
    'div',
    { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': l.latest },
    h(
      'table',
      { id: 'live-table' },
      h('caption', {}, l.latest),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[columns.receivedAt, columns.kind, columns.ticketId, columns.unitId, columns.userId, columns.occurredAt].map((label) =>
            h('th', { scope: 'col' }, label),
          ),
        ),
      ),
      body,
    ),
  );

  const refresh = (): void => {
    const since = Date.now() - HOUR_MS;
    while (received.length > 0 && received[0].at < since) received.shift();
    for (const kind of LIVE_KINDS)
      (countCells.get(kind) as HTMLElement).textContent = String(received.filter((r) => r.notification.kind === kind).length);
    clear(body);
    for (const { at, notification } of received.slice(-LATEST).reverse()) {
      body.append(
        h(
          'tr',
          {},
          h('td', {}, formatInstant(new Date(at).toISOString(), zone, labels.none)),
          h('td', {}, l.kind[notification.kind as LiveKind] ?? notification.kind),
          h('th', { scope: 'row' }, h('a', { href: context.href(`/ticket/${notification.ticketId}`) }, notification.ticketId)),
          h('td', {}, notification.unitId ?? labels.none),
          h('td', {}, notification.userId ?? labels.none),
          h('td', {}, formatInstant(notification.occurredAt, zone, labels.none)),
        ),
      );
    }
  };

  const source = new EventSource(`/events/stream?kinds=${LIVE_KINDS.join(',')}`);
  const onNotification = (event: MessageEvent<string>): void => {
    received.push({ at: Date.now(), notification: JSON.parse(event.data) as Notification });
    refresh();
  };
  for (const kind of LIVE_KINDS) source.addEventListener(kind, onNotification);
  source.addEventListener('open', () => {
    status.textContent = l.connected;
    status.dataset.state = 'open';
  });
  source.addEventListener('error', () => {
    status.textContent = l.reconnecting;
    status.dataset.state = 'error';
  });
  // The hour moves on even when nothing arrives.
  const tick = setInterval(refresh, 30_000);
  context.onLeave(() => {
    source.close();
    clearInterval(tick);
  });
  refresh();
  return [h('p', {}, `${l.intro} ${formatInstant(openedAt.toISOString(), zone, labels.none)}.`), status, counts, latest];
}
