import os from 'node:os';

export interface Measurement {
  /** operations completed (events for appends and reads) */
  operations: number;
  seconds: number;
  perSecond: number;
}

/**
 * Runs `clients` loops side by side until `seconds` have passed; each loop awaits one
 * operation at a time, as a request handler does. An operation that fails ends the run.
 */
export async function forDuration(
  clients: number,
  seconds: number,
  operation: (client: number, iteration: number) => Promise<number>,
): Promise<Measurement> {
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  const counts = await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      let done = 0;
      for (let iteration = 0; Date.now() < deadline; iteration += 1) done += await operation(client, iteration);
      return done;
    }),
  );
  return measured(
    counts.reduce((sum, count) => sum + count, 0),
    started,
  );
}

export function measured(operations: number, started: bigint): Measurement {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { operations, seconds, perSecond: operations / seconds };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The p-th percentile (0–100) by linear interpolation between closest ranks, as PostgreSQL's
 * percentile_cont; NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
}

export function describeMachine(): string {
  const cpus = os.cpus();
  const memoryGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  const cpu = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `${os.type()} ${os.release()} (${os.arch()}), ${cpu}, ${cpus.length} cores, ${memoryGiB} GiB, node ${process.version}`;
}

/** Renders rows as a GitHub-style table, numbers right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const align = (cell: string, column: number): string =>
    /^[\d,.%×≥ -]+$/.test(cell) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]);
  const line = (cells: string[]): string => `| ${cells.map(align).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function formatRate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Progress and notes go to stderr, a line each, so stdout holds only the figures. */
export function stderrLog(message: string, fields?: Record<string, unknown>): void {
  process.stderr.write(`${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
}
