import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parseMapping, ruleFor } from '../../import/mapping.js';
import { GENERATED_LOG_HEADER, GENERATED_LOG_MAPPING, writeGeneratedLog } from './generated-log.js';

const SEED = 20261207;
const folder = mkdtempSync(path.join(os.tmpdir(), 'generated-log-spec-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function generate(name: string, events: number, seed: number): Promise<{ text: string; rows: string[][] }> {
  const file = path.join(folder, name);
  const written = await writeGeneratedLog(file, { events, seed });
  const text = readFileSync(file, 'utf8');
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe(GENERATED_LOG_HEADER);
  expect(lines.length - 1).toBe(written.rows);
  return { text, rows: lines.slice(1).map((line) => line.split(',')) };
}

describe('the import bench generated log', () => {
  it(`is the same for the same seed and another for another seed (seed ${SEED})`, async () => {
    const [a, b, c] = [await generate('a.csv', 3000, SEED), await generate('b.csv', 3000, SEED), await generate('c.csv', 3000, SEED + 1)];
    expect(a.text).toBe(b.text);
    expect(a.text).not.toBe(c.text);
  });

  it('holds each case contiguous, in time order, each row an activity the mapping knows, each case closed last', async () => {
    const { rows } = await generate('d.csv', 5000, SEED);
    const mapping = parseMapping('generated.json', JSON.stringify(GENERATED_LOG_MAPPING));
    const seen = new Set<string>();
    const problems: string[] = [];
    for (let index = 0; index < rows.length; index++) {
      const [caseId, status, substatus, when] = rows[index];
      const previous = rows[index - 1];
      const next = rows[index + 1];
      if (previous?.[0] !== caseId) {
        if (seen.has(caseId)) problems.push(`${caseId} is not contiguous`);
        seen.add(caseId);
      } else if (Date.parse(when) <= Date.parse(previous[3])) problems.push(`${caseId} goes back in time at row ${index}`);
      if (ruleFor(mapping, `${status}/${substatus}`) === undefined) problems.push(`${status}/${substatus} is not mapped`);
      if ((next?.[0] !== caseId) !== (status === 'Completed')) problems.push(`${caseId}: Completed is not its last row`);
    }
    expect(problems).toEqual([]);
    expect(seen.size).toBeGreaterThan(100);
  });
});
