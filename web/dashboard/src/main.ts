import { ApiError, getJson, send, type Session } from './api.js';
import { makeContext, readState, type ViewContext } from './context.js';
import { clear, h } from './dom.js';
import { LABELS, type Labels } from './labels.js';
import { periodPicker } from './picker.js';
import { overviewView } from './views/overview.js';
import { signInView } from './views/sign-in.js';
import { liveView } from './views/live.js';
import { ticketView } from './views/ticket.js';
import { ticketsView } from './views/tickets.js';
import { trendsView } from './views/trends.js';
import { unitDrillView, unitsView } from './views/units.js';

const labels: Labels = LABELS;
const main = document.getElementById('main') as HTMLElement;
const account = document.getElementById('account') as HTMLElement;
let session: Session | undefined;

interface Route {
  path: string;
  params: URLSearchParams;
}

function currentRoute(): Route {
  const hash = location.hash.replace(/^#/, '');
  const [path, search = ''] = hash.split('?', 2);
  return { path: path === '' ? '/overview' : path, params: new URLSearchParams(search) };
}

/** The view of a route: its heading, whether it has the period picker, and its content. */
function viewOf(route: Route, context: ViewContext): { heading: string; picker: boolean; content: Promise<HTMLElement[]> } | undefined {
  const parts = route.path
    .split('/')
    .filter((part) => part !== '')
    .map(decodeURIComponent);
  if (parts[0] === 'overview' && parts.length === 1)
    return { heading: labels.overview.heading, picker: true, content: overviewView(context) };
  if (parts[0] === 'units' && parts.length === 1) return { heading: labels.units.heading, picker: true, content: unitsView(context) };
  if (parts[0] === 'units' && parts.length === 3 && (parts[2] === 'users' || parts[2] === 'categories')) {
    const heading = `${parts[2] === 'users' ? labels.units.usersOf : labels.units.categoriesOf} ${parts[1]}`;
    return { heading, picker: true, content: unitDrillView(context, parts[1], parts[2]) };
  }
  if (parts[0] === 'live' && parts.length === 1)
    return { heading: labels.live.heading, picker: false, content: Promise.resolve(liveView(context)) };
  if (parts[0] === 'trends' && parts.length === 1) return { heading: labels.trends.heading, picker: true, content: trendsView(context) };
  if (parts[0] === 'tickets' && parts.length === 1) return { heading: labels.tickets.heading, picker: true, content: ticketsView(context) };
  if (parts[0] === 'ticket' && parts.length === 2)
    return { heading: `${labels.ticket.heading} ${parts[1]}`, picker: false, content: ticketView(context, parts[1]) };
  return undefined;
}

function showAccount(): void {
  clear(account);
  if (!session) return;
  const signOut = h('button', { type: 'button', id: 'sign-out' }, labels.signIn.signOut);
  signOut.addEventListener('click', () => {
    void send('DELETE', '/dashboard/session').finally(() => {
      session = undefined;
      showAccount();
      showSignIn(undefined);
    });
  });
  account.append(h('span', { id: 'signed-in-as' }, `${labels.signIn.signedInAs} ${session.name}`), signOut);
}

function showSignIn(problem: string | undefined): void {
  leaveView();
  clear(main);
  const heading = h('h1', { tabindex: '-1' }, labels.signIn.heading);
  main.append(
    heading,
    ...signInView(labels, problem, (opened) => {
      session = opened;
      showAccount();
      void render();
    }),
  );
  heading.focus();
}

let rendering = 0;
/** What the shown view asked to run when it is left (context.onLeave). */
let leaving: Array<() => void> = [];

function leaveView(): void {
  for (const dispose of leaving) dispose();
  leaving = [];
}

async function render(): Promise<void> {
  if (!session) return showSignIn(undefined);
  const run = ++rendering;
  leaveView();
  const route = currentRoute();
  const context = makeContext(labels, session, readState(route.params, session, new Date()), route.params, (dispose) =>
    leaving.push(dispose),
  );
  const view = viewOf(route, context);
  clear(main);
  const heading = h('h1', { tabindex: '-1', id: 'view-heading' }, view?.heading ?? labels.overview.heading);
  main.append(heading);
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav.views a')) {
    const active = route.path.startsWith(link.dataset.path ?? '-');
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    link.href = context.href(link.dataset.path ?? '/overview');
  }
  if (!view) {
    location.hash = context.href('/overview');
    return;
  }
  if (view.picker) {
    main.append(
      periodPicker(context, (search) => {
        const merged = new URLSearchParams({ ...Object.fromEntries(route.params), ...Object.fromEntries(search), offset: '0' });
        location.hash = `${route.path}?${merged.toString()}`;
      }),
      h(
        'p',
        { class: 'showing', id: 'showing' },
        `${labels.period.showing}: ${context.state.period.from} – ${context.state.period.to}, ${labels.period.asOf} ${context.state.asOf}`,
      ),
    );
  }
  const status = h('p', { class: 'status', role: 'status' }, labels.loading);
  main.append(status);
  try {
    const content = await view.content;
    if (run !== rendering) return;
    status.replaceWith(...content);
    main.setAttribute('data-ready', route.path);
  } catch (error) {
    if (run !== rendering) return;
    if (error instanceof ApiError && error.status === 401) {
      session = undefined;
      showAccount();
      return showSignIn(error.message);
    }
    status.textContent = `${labels.error}: ${error instanceof Error ? error.message : String(error)}`;
  }
  heading.focus();
}

/** The page's own words come from the labels too (index.html holds placeholders for a page without script). */
function labelPage(): void {
  document.title = labels.title;
  const skip = document.querySelector<HTMLAnchorElement>('a.skip');
  if (skip) {
    skip.textContent = labels.skipToContent;
    // The fragment holds the route: the skip link moves the focus instead of navigating.
    skip.addEventListener('click', (event) => {
      event.preventDefault();
      main.focus();
    });
  }
  document.querySelector('nav.views')?.setAttribute('aria-label', labels.nav.label);
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav.views a')) {
    const view = (link.dataset.path ?? '/overview').slice(1);
    link.textContent = view === 'units' || view === 'trends' || view === 'live' ? labels.nav[view] : labels.nav.overview;
  }
}

async function start(): Promise<void> {
  labelPage();
  try {
    session = await getJson<Session>('/dashboard/session');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  showAccount();
  window.addEventListener('hashchange', () => void render());
  await render();
}

void start();
