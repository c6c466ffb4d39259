import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { ReportDatabase, ReportStatement, ReportWindow } from '#read-model/reports/report-statement.js';
import { csvRecord, type CsvValue } from './csv/csv.js';
import type { ReportSession } from './report-database.js';

/** The envelope of every JSON report: which report, as of when, over which period, in which zone. */
export interface ReportEnvelope {
  report: string;
  asOf: string;
  period: { from: string; to: string };
  timeZone: string;
}

export function envelope(report: string, window: ReportWindow): ReportEnvelope {
  return {
    report,
    asOf: window.asOf.toISOString(),
    period: { from: window.from.toISOString(), to: window.to.toISOString() },
    timeZone: window.timeZone,
  };
}

/** `Accept: text/csv` asks for CSV; anything else gets JSON. */
export function wantsCsv(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((type) => type.split(';')[0].trim().toLowerCase() === 'text/csv');
}

/** The columns every CSV answer ends with, so a saved file still says what it is. */
export const CSV_WINDOW_COLUMNS = ['as_of', 'period_from', 'period_to', 'time_zone'] as const;

/** The rows of a statement with the first one fetched already. */
export interface PeekedRows<Row> extends AsyncIterable<Row> {
  /** undefined: the statement gave no row */
  readonly first: Row | undefined;
}

async function* replay<Row>(head: IteratorResult<Row>, iterator: AsyncIterator<Row>): AsyncGenerator<Row> {
  if (head.done) return;
  yield head.value;
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  } finally {
    // Stopped early (the client went away): close the cursor now rather than when the session ends.
    await iterator.return?.();
  }
}

/**
 * Fetches the first row. The statement runs until then, so a statement that fails (a timeout:
 * 503) fails here, while the answer can still be an error; the rest streams afterwards.
 */
export async function peekRows<Row>(rows: AsyncIterable<Row>): Promise<PeekedRows<Row>> {
  const iterator = rows[Symbol.asyncIterator]();
  const head = await iterator.next();
  const replayed = replay(head, iterator);
  return { first: head.done ? undefined : head.value, [Symbol.asyncIterator]: () => replayed };
}

async function* mapRows<Row, Out>(rows: AsyncIterable<Row>, map: (row: Row) => Out): AsyncGenerator<Out> {
  for await (const row of rows) yield map(row);
}

// Rows are written in chunks of about this many characters: few writes, little held at once.
const CHUNK_CHARS = 64 * 1024;

async function* chunks(opening: string, records: AsyncIterable<string>, closing: string): AsyncGenerator<string> {
  let buffer = opening;
  for await (const record of records) {
    buffer += record;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  yield buffer + closing;
}

/**
 * Writes the answer as it comes, with backpressure: a slow client slows the cursor, never
 * fills memory. A failure after the first byte can only break the connection (the error
 * filter destroys it), so the statement's first batch is fetched before this is called.
 */
async function stream(res: Response, body: AsyncIterable<string>): Promise<void> {
  try {
    await pipeline(Readable.from(body), res);
  } catch (error) {
    // The client went away mid-answer: nobody is left to tell; the request log marks it aborted.
    if ((error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE' && !res.writableFinished) return;
    throw error;
  }
}

/**
 * A JSON report, streamed: exactly the bytes `res.json({ ...head, rows })` would send — the
 * head's fields first, then `rows` — without holding the rows.
 */
export async function sendJson<Row>(res: Response, head: object, rows: AsyncIterable<Row>): Promise<void> {
  const peeked = await peekRows(rows);
  const empty = JSON.stringify({ ...head, rows: [] });
  let separator = '';
  const records = mapRows(peeked, (row) => {
    const record = separator + JSON.stringify(row);
    separator = ',';
    return record;
  });
  res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
  await stream(res, chunks(empty.slice(0, -'[]}'.length) + '[', records, ']}'));
}

/**
 * A report as CSV, streamed: the given columns, then the window's, on every row; the window
 * is also in `Report-As-Of`, `Report-Period-From`, `Report-Period-To` and `Report-Time-Zone`.
 */
export async function sendCsv(
  res: Response,
  report: string,
  window: ReportWindow,
  columns: readonly string[],
  rows: AsyncIterable<object>,
): Promise<void> {
  const peeked = await peekRows(rows);
  const all = [...columns, ...CSV_WINDOW_COLUMNS];
  const stamp = { as_of: window.asOf, period_from: window.from, period_to: window.to, time_zone: window.timeZone };
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${report}.csv"`);
  res.setHeader('Report-As-Of', window.asOf.toISOString());
  res.setHeader('Report-Period-From', window.from.toISOString());
  res.setHeader('Report-Period-To', window.to.toISOString());
  res.setHeader('Report-Time-Zone', window.timeZone);
  await stream(
    res,
    chunks(
      csvRecord(all),
      mapRows(peeked, (row) => csvRecord(all, { ...(row as Record<string, CsvValue>), ...stamp })),
      '',
    ),
  );
}

/**
 * One report endpoint's answer: its statement (from the projection that owns the tables it
 * reads) and how its rows are shown. Everything else — the window, the connection, streaming
 * JSON or CSV — is the same for every report (ReportRequests.answer, answerReport).
 */
export interface ReportEndpoint<Row extends object> {
  /** the JSON answer's `report` field and the CSV's file name */
  report: string;
  /** the statement for the window; it may read the database first (the backlog picks its source) */
  statement(window: ReportWindow, db: ReportDatabase): ReportStatement | Promise<ReportStatement>;
  /** the CSV's columns, before the window's */
  csvColumns: readonly string[];
  /** the JSON answer's own fields between the envelope and `rows`, given the first row (undefined: none) */
  head?(first: Row | undefined): object;
  /** a row as the JSON answer lists it; undefined leaves it out. Default: as read. */
  json?(row: Row): unknown;
  /** a row as the CSV writes it; undefined leaves it out. Default: as read. */
  csv?(row: Row): object | undefined;
  /** headers of a CSV answer beyond the window's, given the first row */
  csvHeaders?(first: Row | undefined): Record<string, string>;
}

async function* shown<Row, Out>(rows: AsyncIterable<Row>, show: ((row: Row) => Out | undefined) | undefined): AsyncGenerator<Out | Row> {
  for await (const row of rows) {
    const out = show ? show(row) : row;
    if (out !== undefined) yield out;
  }
}

/**
 * Runs a report's statement on the session and streams its rows as JSON, or as CSV when the
 * request accepts it. The first row is fetched before anything is sent, so a statement that
 * fails or times out is still answered with a proper error.
 */
export async function answerReport<Row extends object>(
  session: ReportSession,
  window: ReportWindow,
  accept: string | undefined,
  res: Response,
  answer: ReportEndpoint<Row>,
): Promise<void> {
  const { sql, params } = await answer.statement(window, session);
  const rows = await peekRows(session.stream<Row>(sql, params));
  if (wantsCsv(accept)) {
    for (const [name, value] of Object.entries(answer.csvHeaders?.(rows.first) ?? {})) res.setHeader(name, value);
    return sendCsv(res, answer.report, window, answer.csvColumns, shown(rows, answer.csv));
  }
  return sendJson(res, { ...envelope(answer.report, window), ...answer.head?.(rows.first) }, shown(rows, answer.json));
}
