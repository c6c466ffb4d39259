import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { formatCount, formatDuration, formatPercent } from '../../web/dashboard/src/format.js';
import { LABELS } from '../../web/dashboard/src/labels.js';
import { ApiProcess, createApiKey, REPO_ROOT, stopAll } from '../support/api-process.js';
import { loadGoldenCommands, loadGoldenExpected, toHttpRequest } from '../support/golden-small.js';
import type { CommandAnswer, LogEvent } from '../support/ticket-log.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';

/**
 * The analysts' dashboard in Debian's Chromium (issue 15), on golden-small replayed over HTTP
 * into the built API with its projections running: the overview tiles and the unit performance
 * table read from the page equal expected.json; unit → users → a cell → a ticket opens that
 * ticket's logbook with its events in order; a table's CSV download equals the API's CSV byte
 * for byte; axe finds no serious or critical violation on any view; no key reaches a URL or the
 * browser's storage. Screenshots of every view go to docs/screenshots/ (shown in the README).
 */

type Figures = Record<string, number | null>;
const expected = loadGoldenExpected() as ReturnType<typeof loadGoldenExpected> & {
  period: { from: string; to: string };
  unitReport: Record<string, Figures>;
  userReport: Record<string, Figures>;
  kpiSummary: Record<string, number | null | Figures>;
  topCategories: Array<{ category: string; volume: number; on_time_response_pct: number | null; request_met_pct: number | null }>;
  backlogEndOfDay: Record<string, Record<string, Figures>>;
};
const SCREENSHOTS = path.join(REPO_ROOT, 'docs/screenshots');
const COLUMNS = ['total', 'on_time', 'delayed', 'pool_delayed', 'in_pool', 'in_progress', 'routed_out', 'closed'];
// golden-small's period as local dates in Europe/Istanbul, and its asOf.
const PERIOD = { from: '2026-11-08', to: '2026-11-19', asOf: expected.asOf };
const STATE = `preset=custom&from=${PERIOD.from}&to=${PERIOD.to}&asOf=${encodeURIComponent(PERIOD.asOf)}&time=calendar`;
const NA = LABELS.overview.notAvailable;

describeInBrowser(
  'the dashboard on golden-small',
  () => {
    let db: TestDatabase | undefined;
    let api: ApiProcess;
    let analyst: string;
    let importer: string;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const requestedUrls: string[] = [];
    const consoleErrors: string[] = [];

    async function view(hashPath: string, ready: string): Promise<void> {
      await page.goto(`${api.baseUrl}/dashboard#${hashPath}?${STATE}`);
      await page.waitForSelector(`main[data-ready="${ready}"]`);
    }

    async function noSeriousViolations(name: string): Promise<void> {
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => ({ view: name, id: violation.id, nodes: violation.nodes.map((node) => node.target.join(' ')) }));
      expect(serious).toEqual([]);
    }

    async function screenshot(name: string): Promise<void> {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    }

    /** A table's body as { first cell: { column: text } }. */
    async function tableFigures(selector: string): Promise<Record<string, Record<string, string>>> {
      return page.$$eval(`${selector} tbody tr`, (rows) =>
        Object.fromEntries(
          rows.map((row) => [
            ((row.querySelector('th .unit-name') ?? row.querySelector('th'))?.textContent ?? '').trim(),
            Object.fromEntries([...row.querySelectorAll('td')].map((cell) => [cell.dataset.column ?? '', (cell.textContent ?? '').trim()])),
          ]),
        ),
      );
    }

    beforeAll(async () => {
      db = await createTestDatabase('browser_dashboard');
      api = await ApiProcess.start({ databaseUrl: db.url, name: 'dashboard-api', env: { WATCHDOG: 'off' } });
      importer = await createApiKey(api, ['importer'], 'golden-small-import');
      analyst = await createApiKey(api, ['analyst'], 'analyst-browser');
      let last: CommandAnswer | undefined;
      for (const [index, command] of loadGoldenCommands().entries()) {
        const request = toHttpRequest(command);
        const answer = await api.http.post<CommandAnswer>(`/tickets${request.path}`, request.body, {
          key: importer,
          idempotencyKey: `golden-small-${index}`,
        });
        if (answer.status !== 200 && answer.status !== 201) throw new Error(`#${index} ${command.cmd}: ${answer.status} ${answer.text}`);
        last = answer.body;
      }
      // Read-your-writes: the reports answer once the projections have applied the last command.
      for (let attempt = 0; ; attempt += 1) {
        const caughtUp = await api.http.get(`/reports/units?minPosition=${encodeURIComponent(String(last?.position))}`, { key: analyst });
        if (caughtUp.status === 200) break;
        if (attempt >= 12) throw new Error(`the projections did not catch up: ${caughtUp.status} ${caughtUp.text}`);
      }
      browser = await launchChromium();
      context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
      page = await context.newPage();
      page.on('request', (request) => requestedUrls.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      await page.goto(`${api.baseUrl}/dashboard#/overview?${STATE}`);
      await page.waitForSelector('#api-key');
      await screenshot('sign-in');
      await page.fill('#api-key', analyst);
      await page.click('#sign-in');
      await page.waitForSelector('main[data-ready="/overview"]');
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await stopAll(api);
      await db?.drop();
    });

    it('serves the page with a Content-Security-Policy that allows no inline script', async () => {
      const answer = await fetch(`${api.baseUrl}/dashboard`);
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
    });

    it('shows the overview tiles of expected.json, each beside the previous period', async () => {
      await view('/overview', '/overview');
      const tiles = await page.$$eval('.tile', (elements) =>
        Object.fromEntries(
          elements.map((tile) => [
            tile.getAttribute('data-kpi') ?? '',
            {
              value: tile.querySelector('.tile-value')?.getAttribute('data-value') ?? '',
              text: tile.querySelector('.tile-value')?.textContent ?? '',
              previous: tile.querySelector('.tile-previous')?.textContent ?? '',
            },
          ]),
        ),
      );
      const kpis = expected.kpiSummary as Record<string, Figures | number | null>;
      const distribution = (name: string, part: string) => (kpis[name] as Figures)[part];
      const rate = (name: string) => kpis[name] as number | null;
      const backlogDay = Object.values(expected.backlogEndOfDay['2026-11-18']);
      const wanted: Record<string, [number | null, string]> = {
        volume: [kpis.volume as number, formatCount(kpis.volume as number, NA)],
        frt_p50: [distribution('frt', 'p50'), formatDuration(distribution('frt', 'p50'), NA)],
        frt_p90: [distribution('frt', 'p90'), formatDuration(distribution('frt', 'p90'), NA)],
        trt_p50: [distribution('trt', 'p50'), formatDuration(distribution('trt', 'p50'), NA)],
        backlog: [backlogDay.reduce((sum, unit) => sum + (unit.count ?? 0), 0), ''],
        backlog_over_target: [backlogDay.reduce((sum, unit) => sum + (unit.over_target ?? 0), 0), ''],
      };
      for (const name of ['on_time_response_pct', 'sla_compliance_pct', 'fcr_system_pct', 'fcr_survey_pct', 'csat_pct', 'dsat_pct'])
        wanted[name] = [rate(name), formatPercent(rate(name), NA)];
      wanted.backlog[1] = formatCount(wanted.backlog[0], NA);
      wanted.backlog_over_target[1] = formatCount(wanted.backlog_over_target[0], NA);
      expect(Object.keys(tiles).sort()).toEqual(Object.keys(wanted).sort());
      for (const [name, [value, text]] of Object.entries(wanted)) {
        const shown = tiles[name];
        // durations to the millisecond, rates to 1e-12, counts exactly (as reports.golden.int-spec.ts)
        const close =
          value === null ? shown.value === 'null' : Math.abs(Number(shown.value) - value) < (name.endsWith('_pct') ? 1e-12 : 0.0005);
        expect({ name, close, text: shown.text }).toEqual({ name, close: true, text });
        expect(shown.previous).toContain('2026-10-28 – 2026-11-08');
      }
      await page.waitForSelector('ul.tiles[data-lines-ready="true"]');
      await noSeriousViolations('overview');
      await screenshot('overview');
    });

    it('shows the unit performance table of expected.json, with its chart', async () => {
      await view('/units', '/units');
      const shown = await tableFigures('#units-table');
      const wanted = Object.fromEntries(
        Object.entries(expected.unitReport).map(([unit, figures]) => [
          unit,
          Object.fromEntries(COLUMNS.map((c) => [c, String(figures[c])])),
        ]),
      );
      expect(shown).toEqual(wanted);
      expect(await page.$('canvas#units-chart[role="img"]')).not.toBeNull();
      await noSeriousViolations('units');
      await screenshot('units');
    });

    it('works with the keyboard alone: the focus lands on the view, Tab reaches a unit’s users, Enter opens them', async () => {
      await view('/units', '/units');
      expect(await page.evaluate<string>('document.activeElement.id')).toBe('view-heading');
      const usersOfBilling = `#/units/billing/users?${STATE}`;
      let focused = '';
      for (let presses = 0; presses < 60 && focused !== usersOfBilling; presses += 1) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate<string>("document.activeElement.getAttribute('href') || ''");
      }
      expect(focused).toBe(usersOfBilling);
      await page.keyboard.press('Enter');
      await page.waitForSelector('main[data-ready="/units/billing/users"]');
      expect(await page.evaluate<string>('document.activeElement.id')).toBe('view-heading');
    });

    it('downloads a table as the API’s CSV, byte for byte', async () => {
      await view('/units', '/units');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#units-table-csv')]);
      const saved = readFileSync(await download.path());
      const query = `asOf=${encodeURIComponent(PERIOD.asOf)}&from=${PERIOD.from}&to=${PERIOD.to}`;
      const answer = await fetch(`${api.baseUrl}/reports/units?${query}`, {
        headers: { accept: 'text/csv', authorization: `Bearer ${analyst}` },
      });
      const fromApi = Buffer.from(await answer.arrayBuffer());
      expect(download.suggestedFilename()).toBe('unit-performance.csv');
      expect(fromApi.length).toBeGreaterThan(100);
      expect(saved.equals(fromApi)).toBe(true);
    });

    it('goes unit → users → a cell → a ticket, whose logbook shows its events in order', async () => {
      await view('/units', '/units');
      await page.click('#units-table tbody tr:has(th:has-text("billing")) a:has-text("users")');
      await page.waitForSelector('main[data-ready="/units/billing/users"]');
      const users = await tableFigures('#unit-users-table');
      const wantedUsers = Object.fromEntries(
        Object.entries(expected.userReport)
          .filter(([key]) => key.startsWith('billing/'))
          .map(([key, figures]) => [
            key.slice('billing/'.length),
            Object.fromEntries(COLUMNS.map((c) => [c, figures[c] === null ? '—' : String(figures[c])])),
          ]),
      );
      expect(users).toEqual(wantedUsers);
      await noSeriousViolations('unit users');
      await screenshot('unit-users');

      await page.click('#unit-users-table tbody tr:has(th:has-text("elif")) td[data-column="delayed"] a');
      await page.waitForSelector('main[data-ready="/tickets"]');
      expect(await page.textContent('#tickets-total')).toBe(`${expected.userReport['billing/elif'].delayed} ${LABELS.tickets.total}`);
      await noSeriousViolations('tickets');
      await screenshot('tickets');

      const ticketId = ((await page.textContent('#tickets-table tbody tr:first-child a.ticket-link')) ?? '').trim();
      await page.click('#tickets-table tbody tr:first-child a.ticket-link');
      await page.waitForSelector(`main[data-ready="/ticket/${ticketId}"]`);
      const log = await api.http.get<{ events: LogEvent[] }>(`/tickets/${ticketId}/events`, { key: analyst });
      const shown = await page.$$eval('#logbook-table tbody tr', (rows) =>
        rows.map((row) => [
          (row.querySelector('th')?.textContent ?? '').trim(),
          (row.querySelector('td[data-column="type"]')?.textContent ?? '').trim(),
        ]),
      );
      expect(shown).toEqual(log.body.events.map((event) => [String(event.revision), event.type]));
      expect(shown.length).toBeGreaterThan(3);
      // elif's delayed cell: the ticket had a delay, and the logbook lists it among the delayed phases
      const delays = log.body.events.filter((event) => event.type === 'TicketDelayed');
      expect(delays.length).toBeGreaterThan(0);
      expect(await page.$$eval('#delays-table tbody tr', (rows) => rows.length)).toBe(delays.length);
      expect(await page.getAttribute('#events-json', 'href')).toBe(`/tickets/${ticketId}/events`);
      // Each event's "unit / holder after it" equals the domain's replay at its instant (where no
      // other event shares that instant, the replay stops right after it).
      const afterEach = await page.$$eval('#logbook-table tbody tr', (rows) =>
        rows.map((row) => [
          (row.querySelector('td[data-column="unit"]')?.textContent ?? '').trim(),
          (row.querySelector('td[data-column="holder"]')?.textContent ?? '').trim(),
        ]),
      );
      const replayed: Array<{ revision: number; state: { status: string; unitId: string; holder: string | null } }> = [];
      for (const event of log.body.events) {
        const at = await api.http.get<{ revision: number; state: { status: string; unitId: string; holder: string | null } }>(
          `/tickets/${ticketId}/state?at=${encodeURIComponent(event.occurredAt)}`,
          { key: analyst },
        );
        expect(at.status).toBe(200);
        replayed.push(at.body);
      }
      const whereReplayed = (state: { status: string; unitId: string; holder: string | null }): string[] => [
        state.unitId,
        state.holder ?? (state.status === 'closed' ? LABELS.none : LABELS.ticket.nobody),
      ];
      const alone = log.body.events.filter((event, i) => replayed[i].revision === event.revision).map((event) => event.revision);
      expect(alone.length).toBeGreaterThan(3);
      expect(alone.map((revision) => afterEach[revision])).toEqual(alone.map((revision) => whereReplayed(replayed[revision].state)));
      // The slider shows that replay at any event's instant, by keyboard too.
      const sliderShows = async (): Promise<string[]> => {
        await page.waitForSelector('#as-it-was-state[aria-busy="false"]');
        return page.$$eval('#as-it-was-state dd', (cells) => cells.map((cell) => (cell.textContent ?? '').trim()));
      };
      await page.focus('#as-it-was');
      await page.keyboard.press('Home');
      const first = await sliderShows();
      expect(first[0]).toContain(`#0 ${log.body.events[0].type}`);
      expect(first.slice(1, 5)).toEqual([`#${replayed[0].revision}`, replayed[0].state.status, ...whereReplayed(replayed[0].state)]);
      await page.keyboard.press('End');
      const last = log.body.events.length - 1;
      const end = await sliderShows();
      expect(end[0]).toContain(`#${log.body.events[last].revision} ${log.body.events[last].type}`);
      expect(end.slice(1, 5)).toEqual([`#${replayed[last].revision}`, replayed[last].state.status, ...whereReplayed(replayed[last].state)]);
      await noSeriousViolations('ticket');
      await screenshot('ticket');
    });

    it('shows the trends: the series, the backlog stock by age and the top categories of expected.json', async () => {
      await view('/trends', '/trends');
      const top = await page.$$eval('#top-table tbody tr', (rows) =>
        rows.map((row) => [row.querySelector('th'), ...row.querySelectorAll('td')].map((cell) => (cell?.textContent ?? '').trim())),
      );
      expect(top).toEqual(
        expected.topCategories.map((row) => [
          row.category,
          String(row.volume),
          formatPercent(row.on_time_response_pct, NA),
          formatPercent(row.request_met_pct, NA),
        ]),
      );
      const backlog = await tableFigures('#backlog-table');
      for (const day of ['2026-11-16', '2026-11-17', '2026-11-18']) {
        const units = Object.values(expected.backlogEndOfDay[day]);
        const sum = (figure: string) => String(units.reduce((total, unit) => total + (unit[figure] ?? 0), 0));
        const wanted = Object.fromEntries(
          ['count', 'over_target', 'lt1d', '1to3d', '3to7d', 'ge7d'].map((figure) => [figure, sum(figure)]),
        );
        expect({ day, figures: backlog[day] }).toEqual({ day, figures: wanted });
      }
      // the period ends before 2026-11-19
      expect(Object.keys(backlog).sort().at(-1)).toBe('2026-11-18');
      const volumes = await page.$$eval('#series-table tbody td[data-column="volume"]', (cells) =>
        cells.map((cell) => Number(cell.textContent)),
      );
      expect(volumes.reduce((total, volume) => total + volume, 0)).toBe(expected.kpiSummary.volume);
      expect(await page.$$eval('canvas[role="img"]', (canvases) => canvases.map((canvas) => canvas.id))).toEqual([
        'volume-chart',
        'frt-chart',
        'on-time-chart',
        'backlog-chart',
        'top-chart',
      ]);
      await noSeriousViolations('trends');
      await screenshot('trends');

      // a top category's volume lists the tickets opened in it
      await page.click('#top-table tbody tr:first-child td[data-column="volume"] a');
      await page.waitForSelector('main[data-ready="/tickets"]');
      expect(await page.textContent('#tickets-total')).toBe(`${expected.topCategories[0].volume} ${LABELS.tickets.total}`);
    });

    it('shows on the Live view a delay written after the page loaded, within 5 s and without a reload', async () => {
      await page.goto(`${api.baseUrl}/dashboard#/live?${STATE}`);
      await page.waitForSelector('main[data-ready="/live"]');
      await page.waitForSelector('#live-status[data-state="open"]');
      expect(await page.textContent('#live-delayed')).toBe('0');
      const navigations: string[] = [];
      page.on('framenavigated', (frame) => navigations.push(frame.url()));
      // A ticket opened two hours ago and claimed an hour ago: its claim was due after 30 minutes,
      // so the claim writes a claim delay.
      const ticketId = '00000000-0000-4000-8000-000000000015';
      const now = Date.now();
      const opened = await api.http.post(
        '/tickets',
        {
          ticketId,
          channel: 'phone',
          customer: 'c-live',
          category: 'refund',
          priority: 'high',
          subject: 'live',
          unitId: 'front',
          occurredAt: new Date(now - 2 * 3_600_000).toISOString(),
        },
        { key: importer },
      );
      expect(opened.status).toBe(201);
      const claimed = await api.http.post<CommandAnswer>(
        `/tickets/${ticketId}/claim`,
        { userId: 'can', occurredAt: new Date(now - 3_600_000).toISOString() },
        { key: importer },
      );
      expect(claimed.body.events.map((event) => event.type)).toContain('TicketDelayed');
      // The page's policy allows no eval, so no waitForFunction: a locator waits for the text.
      await page.locator('#live-delayed', { hasText: /^1$/ }).waitFor({ timeout: 5_000 });
      expect(await page.textContent('#live-table tbody tr:first-child th')).toBe(ticketId);
      expect(await page.textContent('nav.views a[aria-current="page"]')).toBe(LABELS.nav.live);
      expect(navigations).toEqual([]);
      await noSeriousViolations('live');
      await screenshot('live');
    });

    it('is readable at a phone’s width', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await view('/overview', '/overview');
      await page.waitForSelector('ul.tiles[data-lines-ready="true"]');
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await noSeriousViolations('overview on a phone');
      await screenshot('overview-phone');
      await page.setViewportSize({ width: 1366, height: 768 });
    });

    it('keeps the key out of every URL and of the browser’s storage, and signs out', async () => {
      expect(requestedUrls.length).toBeGreaterThan(10);
      expect(requestedUrls.filter((url) => url.includes(analyst))).toEqual([]);
      const stored = await page.evaluate<string>(
        'JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie })',
      );
      expect(stored).toBe(JSON.stringify({ local: {}, session: {}, cookie: '' }));
      const cookies = await context.cookies();
      expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite])).toEqual([['bildirim_session', true, 'Strict']]);
      expect(cookies[0].value).not.toContain(analyst);

      // Every view was shown by now: none broke the policy or failed a request, but for the sign-in
      // check's 401 before signing in.
      expect(consoleErrors.filter((error) => !error.includes('status of 401'))).toEqual([]);
      expect(consoleErrors.length).toBeLessThanOrEqual(2);

      await page.click('#sign-out');
      await page.waitForSelector('#api-key');
      await page.reload();
      await page.waitForSelector('#api-key');
      expect(await page.$('main[data-ready]')).toBeNull();
    });
  },
  describe,
);
