import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { seedAppends } from '#workload';
import { ChildProcesses, distPath, type RunningChild } from '#projector/testing/child-processes.js';
import { bulkLoad } from '#event-store/postgres/bulk-load.js';
import { endPool } from '#read-model/postgres/close-pools.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ApiProcess, createApiKey, HttpClient } from '../support/api-process.js';
import { openTicketBody, type CommandAnswer } from '../support/ticket-log.js';

/**
 * Acceptance (issue 7, "Reports that cannot take the service down"): on a store with a ticket
 * backdated to 1901 by an importer key and a year of generated tickets (seeded, the seed
 * printed; REPORT_LOAD_SEED repeats it), four concurrent maximal requests of each report kind
 * — the longest period REPORT_MAX_DAYS allows, JSON and CSV — beside four of the issue's
 * 1000-01-01..3000-01-01, against the built API with its default report settings. Every
 * request is answered: data, 400 for the over-long period, or 503 with Retry-After. Meanwhile
 * the API process's resident memory stays under 400 MB (sampled from /proc/<pid>/status),
 * `/health` answers 200 at every sample, and a command is sent every 200 ms; its answer times
 * are printed, not asserted.
 *
 * The projections run in a projector process beside the API (PROJECTIONS=off), as
 * docker-compose runs them: their catch-up on the bulk-loaded year folds tens of thousands of
 * events in memory, which in an API running them inline leaves a heap of its own behind; the
 * memory measured here is the API's serving reports and commands.
 */

const SEED = process.env.REPORT_LOAD_SEED ? Number(process.env.REPORT_LOAD_SEED) : Math.floor(Math.random() * 2 ** 31);
const TICKETS = 5000;
const DAY_MS = 86_400_000;
const MEMORY_LIMIT_MB = 400;
const MAX_DAYS = 366;

interface Sample {
  at: number;
  status: number | string;
  ms: number;
}

interface ReportAnswer {
  path: string;
  status: number;
  retryAfter: string | null;
  bytes: number;
  ms: number;
  body: string;
  contentType: string | null;
}

function day(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(/(\d+)/.exec(line)?.[1]) / 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe('reports that cannot take the service down (four concurrent maximal requests of each kind)', () => {
  const children = new ChildProcesses();
  let database: TestDatabase;
  let api: ApiProcess;
  let projector: RunningChild | undefined;
  let analyst: HttpClient;
  let service: HttpClient;

  beforeAll(async () => {
    console.log(`report load spec: seed ${SEED} (repeat with REPORT_LOAD_SEED=${SEED}), ${TICKETS} tickets`);
    database = await createTestDatabase('e2e_report_load');
    // An installation that takes history back to 1900, so the issue's ticket backdated to 1901 can be opened.
    api = await ApiProcess.start({
      databaseUrl: database.url,
      name: 'report-load-api',
      env: { PROJECTIONS: 'off', EARLIEST_OCCURRED_AT: '1900-01-01' },
    });
    projector = children.start(distPath('apps/projector/src/main.js'), [], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
    analyst = api.http.withKey(await createApiKey(api, ['analyst']));
    service = api.http.withKey(await createApiKey(api, ['service']));
    const importer = api.http.withKey(await createApiKey(api, ['importer']));

    // A year of tickets, opened until a week ago, bulk-loaded as the API would have appended them.
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const start = new Date(Date.now() - 372 * DAY_MS);
      const loaded = await bulkLoad(pool, seedAppends({ tickets: TICKETS, seed: SEED, start, days: 365 }));
      console.log(`report load spec: ${loaded.events} events of ${TICKETS} tickets loaded`);
    } finally {
      await endPool(pool);
    }
    const backdated = await importer.post<CommandAnswer>(
      '/tickets',
      openTicketBody({ ticketId: randomUUID(), unitId: 'unit-01', occurredAt: '1901-03-01T09:00:00Z', subject: 'Opened in 1901' }),
    );
    expect(backdated.status).toBe(201);

    // The projections catch up on the whole store (read-your-writes: each try waits up to 5 s).
    const started = Date.now();
    for (;;) {
      const caughtUp = await analyst.get(`/reports/units?minPosition=${encodeURIComponent(String(backdated.body.position))}`, {
        timeoutMs: 60_000,
      });
      if (caughtUp.status === 200) break;
      if (caughtUp.status !== 503 || Date.now() - started > 120_000) {
        throw new Error(
          `projections did not catch up: ${caughtUp.status} ${caughtUp.text.slice(0, 300)}\nprojector: ${projector?.output().slice(-2000)}`,
        );
      }
    }
    console.log(`report load spec: projections caught up in ${Date.now() - started} ms`);
  }, 240_000);

  afterAll(async () => {
    projector?.child.kill('SIGTERM');
    await projector?.exited;
    children.killAll();
    await api?.stop();
    await database?.drop();
  });

  it('answers every request (data, 400 for an over-long period, or 503, Retry-After), under 400 MB, /health 200 throughout', async () => {
    const today = Date.now();
    // The longest period allowed: REPORT_MAX_DAYS local days, the last one tomorrow.
    const longest = `from=${day(today - (MAX_DAYS - 2) * DAY_MS)}&to=${day(today + 2 * DAY_MS)}`;
    const issue = 'from=1000-01-01&to=3000-01-01';
    const kinds: Array<{ kind: string; paths: (period: string) => string[] }> = [
      { kind: 'units', paths: (p) => [`/reports/units?${p}`, `/reports/units?${p}&tz=UTC`] },
      { kind: 'unit users', paths: (p) => [`/reports/units/unit-01/users?${p}`, `/reports/units/unit-02/users?${p}&tz=UTC`] },
      {
        kind: 'unit categories',
        paths: (p) => [`/reports/units/unit-01/categories?${p}`, `/reports/units/unit-02/categories?${p}&tz=UTC`],
      },
      {
        kind: 'tickets',
        paths: (p) => [
          `/reports/tickets?report=opened&limit=1000&sort=age_s&order=desc&${p}`,
          `/reports/tickets?unit=unit-01&limit=1000&offset=1000000&${p}`,
        ],
      },
      { kind: 'top categories', paths: (p) => [`/reports/top-categories?n=1000&${p}`, `/reports/top-categories?n=1000&${p}&tz=UTC`] },
      {
        kind: 'kpis',
        paths: (p) => [
          `/reports/kpis?groupBy=unit,user,category,channel,priority&bucket=day&${p}`,
          `/reports/kpis?groupBy=user,category&bucket=week&${p}&tz=UTC`,
        ],
      },
      // The daily series, and in another zone the query-time statement over every custody interval.
      { kind: 'backlog', paths: (p) => [`/reports/backlog?${p}`, `/reports/backlog?${p}&tz=UTC`] },
    ];

    const rss: number[] = [];
    const health: Sample[] = [];
    const commands: Sample[] = [];
    let sampling = true;
    const loop = async (every: number, sample: () => Promise<void>): Promise<void> => {
      while (sampling) {
        const next = Date.now() + every;
        await sample();
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      }
    };
    const timed = async (into: Sample[], send: () => Promise<{ status: number }>): Promise<void> => {
      const at = Date.now();
      try {
        const answer = await send();
        into.push({ at, status: answer.status, ms: Date.now() - at });
      } catch (error) {
        into.push({ at, status: String((error as Error).cause ?? error), ms: Date.now() - at });
      }
    };
    const samplers = Promise.all([
      loop(50, async () => {
        rss.push(rssMb(api.pid));
      }),
      loop(200, () => timed(health, () => api.http.get('/health', { timeoutMs: 10_000 }))),
      loop(200, () =>
        timed(commands, () =>
          service.post('/tickets', openTicketBody({ ticketId: randomUUID(), unitId: 'unit-03' }), { timeoutMs: 30_000 }),
        ),
      ),
    ]);

    const fetchReport = async (path: string, csv: boolean): Promise<ReportAnswer> => {
      const at = Date.now();
      const response = await fetch(api.baseUrl + path, {
        headers: { authorization: `Bearer ${analyst.defaultKey}`, accept: csv ? 'text/csv' : 'application/json' },
        signal: AbortSignal.timeout(180_000),
      });
      const body = await response.text();
      return {
        path,
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        bytes: Buffer.byteLength(body),
        ms: Date.now() - at,
        body,
        contentType: response.headers.get('content-type'),
      };
    };

    const problems: string[] = [];
    const lines: string[] = [];
    // JSON rows answered per kind: the maximal requests are not vacuous.
    const rowsSeen: Record<string, number> = {};
    try {
      for (const { kind, paths } of kinds) {
        const [first, second] = paths(longest);
        const maximal = [
          [first, false],
          [first, true],
          [second, false],
          [second, true],
        ] as const;
        const [first400, second400] = paths(issue);
        const started = Date.now();
        const samplesBefore = rss.length;
        const answers = await Promise.all([
          ...maximal.map(([path, csv]) => fetchReport(path, csv)),
          ...[first400, first400, second400, second400].map((path, i) => fetchReport(path, i % 2 === 1)),
        ]);
        for (const [i, answer] of answers.entries()) {
          const overLong = i >= maximal.length;
          const csv = i % 2 === 1;
          if (answer.status === 503) {
            if (!/^\d+$/.test(answer.retryAfter ?? '')) problems.push(`${kind}: 503 without Retry-After: ${answer.path}`);
          } else if (overLong) {
            const body = JSON.parse(answer.body) as { code?: string; errors?: Array<{ field: string }> };
            if (answer.status !== 400 || body.code !== 'VALIDATION_FAILED' || body.errors?.[0]?.field !== 'to')
              problems.push(`${kind}: over-long answered ${answer.status} ${answer.body.slice(0, 200)}`);
          } else if (answer.status !== 200) {
            problems.push(`${kind}: ${answer.status} ${answer.path} ${answer.body.slice(0, 200)}`);
          } else if (csv) {
            if (!answer.contentType?.startsWith('text/csv') || !answer.body.endsWith('\r\n'))
              problems.push(`${kind}: CSV not whole: ${answer.path}`);
          } else {
            const body = JSON.parse(answer.body) as { rows?: unknown[] };
            if (!Array.isArray(body.rows)) problems.push(`${kind}: JSON without rows: ${answer.path}`);
            rowsSeen[kind] = (rowsSeen[kind] ?? 0) + (body.rows?.length ?? 0);
          }
        }
        const maximalAnswers = answers.slice(0, maximal.length);
        lines.push(
          `${kind}: ${Date.now() - started} ms for all, API memory up to ` +
            `${Math.max(...rss.slice(Math.max(0, samplesBefore - 1))).toFixed(0)} MB; ` +
            `maximal ${maximalAnswers.map((a) => `${a.status} ${(a.bytes / 1024).toFixed(0)} KB ${a.ms} ms`).join(', ')}; ` +
            `over-long ${answers
              .slice(maximal.length)
              .map((a) => a.status)
              .join('/')}`,
        );
      }
    } finally {
      sampling = false;
      await samplers;
    }

    const answered = commands.filter((sample) => sample.status === 201).map((sample) => sample.ms);
    console.log(
      [
        'report load spec:',
        ...lines,
        `API resident memory: ${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)} MB ` +
          `over ${rss.length} samples (limit ${MEMORY_LIMIT_MB} MB)`,
        `/health: ${health.length} samples, statuses ${[...new Set(health.map((s) => s.status))].join(', ')}, p50 ${percentile(
          health.map((s) => s.ms),
          50,
        )} ms, max ${Math.max(...health.map((s) => s.ms))} ms`,
        `commands: ${commands.length} sent, ${answered.length} answered 201, p50 ${percentile(answered, 50)} ms, ` +
          `p95 ${percentile(answered, 95)} ms, max ${Math.max(...answered)} ms, ` +
          `${answered.filter((ms) => ms > 1000).length} over 1 s; other answers: ${
            commands
              .filter((s) => s.status !== 201)
              .map((s) => s.status)
              .join(', ') || 'none'
          }`,
      ].join('\n  '),
    );

    expect(problems).toEqual([]);
    expect(kinds.filter(({ kind }) => !(rowsSeen[kind] > 0)).map(({ kind }) => kind)).toEqual([]);
    expect(Math.max(...rss)).toBeLessThan(MEMORY_LIMIT_MB);
    expect(health.length).toBeGreaterThan(0);
    expect(health.filter((sample) => sample.status !== 200)).toEqual([]);
    expect(commands.filter((sample) => sample.status !== 201)).toEqual([]);
  }, 300_000);
});
