import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where every suite writes its figures as JSON: one file per run, named `<suite>-<time>.json`, compared with bench/README.md. */
export const RESULTS_FOLDER = 'bench/results';

/** Maps (answers by status, failures by reason) as objects: JSON.stringify would write them as {}. */
function mapsAsObjects(_key: string, value: unknown): unknown {
  return value instanceof Map ? Object.fromEntries(value) : value;
}

/** Writes `content` to bench/results/<suite>-<time>.json under the working directory; returns the path. */
export function writeBenchResult(suite: string, content: object, at: Date = new Date()): string {
  const folder = path.resolve(RESULTS_FOLDER);
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${suite}-${at.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ suite, at: at.toISOString(), ...content }, mapsAsObjects, 2)}\n`);
  return file;
}
