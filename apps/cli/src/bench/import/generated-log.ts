import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seededRandom } from '#workload';

/*
 * The import bench's input: a seeded CSV event log in the shape of a helpdesk export (one row
 * per status change, sorted by case, in time order within a case), with the mapping that reads
 * it. Every case is one the ticket rules accept, so the bench times the import, not its rejects.
 */

export const GENERATED_LOG_MAPPING = {
  source: 'bench-generated',
  description: 'The import bench generated log (apps/cli/src/bench/import/generated-log.ts).',
  columns: {
    caseId: 'case',
    activity: ['status', 'substatus'],
    timestamp: { column: 'when', format: 'iso8601' },
    resource: 'person',
    group: 'team',
    priority: 'impact',
    category: 'product',
  },
  constants: { channel: 'phone', customer: 'unknown' },
  lines: { ' 2nd': 2 },
  activities: [
    { activity: 'Accepted/Wait*', action: 'hold' },
    { activity: 'Accepted/*', action: 'work' },
    { activity: 'Queued/*', action: 'release' },
    { activity: 'Completed/Cancelled', action: 'close', resolution: 'not_resolved' },
    { activity: 'Completed/*', action: 'close', resolution: 'resolved' },
  ],
} as const;

export const GENERATED_LOG_HEADER = 'case,status,substatus,when,team,person,impact,product';

/**
 * Events the import writes per row of this log, on average: measured on the seeded log
 * (20,000 rows), so `--events N` writes about N events. The bench prints the events it wrote.
 */
export const EVENTS_PER_ROW = 2.0;

const TEAMS = ['Desk A', 'Desk B', 'Desk C', 'Desk D'];
const PEOPLE = Array.from({ length: 40 }, (_, n) => `agent${n + 1}`);
const IMPACTS = ['Low', 'Medium', 'High'];
const PRODUCTS = ['Billing', 'Network', 'Mail', 'Accounts', 'Printing'];

/**
 * One case's rows: worked on the first line, perhaps waiting on the user, perhaps released to the
 * second line and worked there, then closed (now and then cancelled).
 */
export function caseRows(caseNumber: number, openedAt: number, random: () => number): string[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const team = pick(TEAMS);
  const impact = pick(IMPACTS);
  const product = pick(PRODUCTS);
  const id = `C${String(caseNumber).padStart(8, '0')}`;
  let at = openedAt;
  const rows: string[] = [];
  const row = (status: string, substatus: string, group: string) => {
    rows.push(`${id},${status},${substatus},${new Date(at).toISOString()},${group},${pick(PEOPLE)},${impact},${product}`);
    at += Math.floor(1 + random() * 240) * 60_000;
  };
  row('Accepted', 'In Progress', team);
  if (random() < 0.4) {
    row('Accepted', 'Wait - User', team);
    row('Accepted', 'In Progress', team);
  }
  if (random() < 0.3) {
    row('Queued', 'Awaiting Assignment', `${team} 2nd`);
    row('Accepted', 'In Progress', `${team} 2nd`);
  }
  row('Completed', random() < 0.05 ? 'Cancelled' : 'Resolved', team);
  return rows;
}

export interface GeneratedLog {
  cases: number;
  rows: number;
}

/** Cases until about `events` events (EVENTS_PER_ROW), opened a minute or so apart from 2025-01-01. */
export async function writeGeneratedLog(file: string, options: { events: number; seed: number }): Promise<GeneratedLog> {
  const random = seededRandom(options.seed);
  const out = createWriteStream(file, { encoding: 'utf8' });
  const targetRows = Math.ceil(options.events / EVENTS_PER_ROW);
  let rows = 0;
  let cases = 0;
  let openedAt = Date.parse('2025-01-01T00:00:00Z');
  let chunk: string[] = [GENERATED_LOG_HEADER];
  try {
    while (rows < targetRows) {
      cases += 1;
      const lines = caseRows(cases, openedAt, random);
      rows += lines.length;
      chunk.push(...lines);
      openedAt += Math.floor(1 + random() * 120) * 1000;
      if (chunk.length >= 5000) {
        if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
        chunk = [];
      }
    }
    out.write(chunk.length > 0 ? `${chunk.join('\n')}\n` : '');
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { cases, rows };
}
