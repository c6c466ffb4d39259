import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { toCsv } from './csv/csv.js';
import type { ReportDatabase, ReportWindow } from '#read-model/reports/report-statement.js';
import { answerReport, envelope, peekRows, sendCsv, sendJson, type ReportEndpoint } from './report-answer.js';
import type { ReportSession } from './report-database.js';
import { CapturedResponse } from './testing/captured-response.js';

const window: ReportWindow = {
  asOf: new Date('2026-11-20T09:00:00Z'),
  from: new Date('2026-11-07T21:00:00Z'),
  to: new Date('2026-11-18T21:00:00Z'),
  timeZone: 'Europe/Istanbul',
};

function rows(count: number): Array<{ unit_id: string; total: number; note: string | null; at: Date }> {
  return Array.from({ length: count }, (_, i) => ({
    unit_id: `unit-${i}`,
    total: i,
    note: i % 3 === 0 ? null : `say "hi", ${i}`,
    at: new Date(Date.UTC(2026, 10, 1, 0, i)),
  }));
}

/** Rows that fail when the given one is asked for, as a statement cancelled mid-way would. */
async function* failingAt<Row>(all: Row[], index: number, error: Error): AsyncGenerator<Row> {
  for (const [i, row] of all.entries()) {
    if (i === index) throw error;
    yield row;
  }
}

describe('sendJson', () => {
  it.each([0, 1, 5, 3000])('sends exactly the bytes of JSON.stringify({ ...head, rows }) for %d rows, in chunks', async (count) => {
    const res = new CapturedResponse();
    const head = {
      report: 'unit-performance',
      asOf: '2026-11-20T09:00:00.000Z',
      period: { from: 'a', to: 'b' },
      timeZone: 'UTC',
      unit: null,
    };
    await sendJson(res.asResponse(), head, Readable.from(rows(count)));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBe(JSON.stringify({ ...head, rows: rows(count) }));
  });

  it('lets a statement that fails before its first row fail before anything is sent (the error filter can still answer 503)', async () => {
    const res = new CapturedResponse();
    await expect(sendJson(res.asResponse(), { report: 'x' }, failingAt(rows(3), 0, new Error('statement timeout')))).rejects.toThrow(
      'statement timeout',
    );
    expect(res.statusCode).toBe(0);
    expect(res.headers).toEqual({});
    expect(res.text).toBe('');
  });

  it('fails the answer when the statement fails after its first row: a broken connection, never a truncated 200', async () => {
    const res = new CapturedResponse();
    await expect(sendJson(res.asResponse(), { report: 'x' }, failingAt(rows(3), 2, new Error('lost')))).rejects.toThrow('lost');
    expect(res.destroyed).toBe(true);
  });
});

describe('sendCsv', () => {
  it('sends the bytes toCsv gives for the rows with the window stamped on each, and the window in headers', async () => {
    const res = new CapturedResponse();
    const all = rows(2500);
    await sendCsv(res.asResponse(), 'units', window, ['unit_id', 'total', 'note', 'at'], Readable.from(all));
    const stamp = { as_of: window.asOf, period_from: window.from, period_to: window.to, time_zone: window.timeZone };
    expect(res.text).toBe(
      toCsv(
        ['unit_id', 'total', 'note', 'at', 'as_of', 'period_from', 'period_to', 'time_zone'],
        all.map((row) => ({ ...row, ...stamp })),
      ),
    );
    expect(res.headers).toEqual({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="units.csv"',
      'report-as-of': '2026-11-20T09:00:00.000Z',
      'report-period-from': '2026-11-07T21:00:00.000Z',
      'report-period-to': '2026-11-18T21:00:00.000Z',
      'report-time-zone': 'Europe/Istanbul',
    });
  });
});

describe('peekRows', () => {
  it('fetches the first row, then gives every row once, in order', async () => {
    const peeked = await peekRows(Readable.from([1, 2, 3]));
    expect(peeked.first).toBe(1);
    const seen: number[] = [];
    for await (const row of peeked) seen.push(row);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('says when there is no row', async () => {
    const peeked = await peekRows(Readable.from([]));
    expect(peeked.first).toBeUndefined();
  });

  it('closes the rows when the reader stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<number> {
      try {
        yield* [1, 2, 3];
      } finally {
        closed = true;
      }
    }
    for await (const row of await peekRows(source())) if (row === 2) break;
    expect(closed).toBe(true);
  });
});

/** A session that answers every statement with the given rows, and remembers what it ran. */
function session<Row>(rows: Row[]): ReportSession & { ran: Array<{ sql: string; params: readonly unknown[] }> } {
  const ran: Array<{ sql: string; params: readonly unknown[] }> = [];
  return {
    ran,
    query: () => Promise.resolve([]),
    stream: <Out>(sql: string, params: readonly unknown[]): AsyncIterable<Out> => {
      ran.push({ sql, params });
      return Readable.from(rows as unknown as Out[]);
    },
  };
}

type ListRow = { total: number; id: string | null; at: Date };

describe('answerReport', () => {
  // Like the ticket list: every row carries the total; a row without an id only carries it.
  const listRows: ListRow[] = [
    { total: 3, id: 'a', at: new Date('2026-11-01T00:00:00Z') },
    { total: 3, id: null, at: new Date('2026-11-02T00:00:00Z') },
    { total: 3, id: 'c, "quoted"', at: new Date('2026-11-03T00:00:00Z') },
  ];
  const statements: Array<{ window: ReportWindow; db: ReportDatabase }> = [];
  const endpoint: ReportEndpoint<ListRow> = {
    report: 'list',
    statement: (given, db) => {
      statements.push({ window: given, db });
      return { sql: 'SELECT list', params: [given.asOf.toISOString(), 7] };
    },
    csvColumns: ['id', 'at'],
    head: (first) => ({ total: first?.total ?? 0 }),
    json: (row) => (row.id === null ? undefined : { id: row.id }),
    csv: (row) => (row.id === null ? undefined : row),
    csvHeaders: (first) => ({ 'Report-Total': String(first?.total ?? 0) }),
  };

  it('runs the statement for the window on the session; sends the envelope, its head from the first row, the rows as JSON', async () => {
    const db = session(listRows);
    const res = new CapturedResponse();
    statements.length = 0;
    await answerReport(db, window, 'application/json', res.asResponse(), endpoint);
    expect(statements).toEqual([{ window, db }]);
    expect(db.ran).toEqual([{ sql: 'SELECT list', params: ['2026-11-20T09:00:00.000Z', 7] }]);
    expect(res.text).toBe(JSON.stringify({ ...envelope('list', window), total: 3, rows: [{ id: 'a' }, { id: 'c, "quoted"' }] }));
  });

  it('sends CSV when asked, with the endpoint’s headers and rows, and the window', async () => {
    const res = new CapturedResponse();
    await answerReport(session(listRows), window, 'text/html, text/csv;q=0.9', res.asResponse(), endpoint);
    const stamp = { as_of: window.asOf, period_from: window.from, period_to: window.to, time_zone: window.timeZone };
    expect(res.text).toBe(
      toCsv(
        ['id', 'at', 'as_of', 'period_from', 'period_to', 'time_zone'],
        [listRows[0], listRows[2]].map((row) => ({ ...row, ...stamp })),
      ),
    );
    expect(res.headers['report-total']).toBe('3');
    expect(res.headers['content-disposition']).toBe('attachment; filename="list.csv"');
  });

  it('sends the rows as read when the endpoint does not reshape them, and the head of no row', async () => {
    const res = new CapturedResponse();
    await answerReport(session([]), window, undefined, res.asResponse(), { ...endpoint, json: undefined });
    expect(res.text).toBe(JSON.stringify({ ...envelope('list', window), total: 0, rows: [] }));
    const all = new CapturedResponse();
    await answerReport(session(listRows), window, undefined, all.asResponse(), { ...endpoint, json: undefined });
    expect(all.text).toBe(JSON.stringify({ ...envelope('list', window), total: 3, rows: listRows }));
  });
});
