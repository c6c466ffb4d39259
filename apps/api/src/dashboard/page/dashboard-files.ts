import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dashboard's built files (scripts/build-dashboard.mjs → dist/web/dashboard), read once at
 * start-up: a fixed set served from memory, so no request names a path on disk.
 */
export interface DashboardFile {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * dist/web/dashboard, from the built API (here: dist/apps/api/src/dashboard/page) or from the
 * sources (specs in process; then web/dashboard holds the unbuilt sources, which have no assets).
 */
export function dashboardDir(): string | undefined {
  const top = path.resolve(here, '../../../../..');
  const candidates = [path.join(top, 'web/dashboard'), path.join(top, 'dist/web/dashboard')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html')) && existsSync(path.join(dir, 'assets/main.js')));
}

function walk(dir: string, prefix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** Every servable file by its path below /dashboard/ ("index.html", "assets/main.js", "assets/views/units.js"). */
export function loadDashboardFiles(dir: string | undefined = dashboardDir()): Map<string, DashboardFile> {
  const files = new Map<string, DashboardFile>();
  if (dir === undefined) return files;
  for (const name of walk(dir, '')) {
    const contentType = CONTENT_TYPES[path.extname(name)];
    if (contentType !== undefined) files.set(name, { body: readFileSync(path.join(dir, name)), contentType });
  }
  return files;
}
