// The analysts' dashboard's static files (issue 15): web/dashboard/src compiled by tsc to ES
// modules the browser loads as they are (no bundler: the client is a dozen small modules and
// Chart.js ships a ready UMD file), with index.html, style.css and Chart.js copied beside them.
// Everything lands in dist/web/dashboard, which the API serves at /dashboard; nothing is fetched
// from a CDN at run time. `npm run build` runs it; with --when-stale (npm start) it does nothing
// when no input is newer than the last build.
//
// Plain JavaScript, because it runs before anything is compiled. Usage (from the project root):
//   node scripts/build-dashboard.mjs [--when-stale]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = process.cwd();
const source = path.join(root, 'web/dashboard');
const out = path.join(root, 'dist/web/dashboard');
const assets = path.join(out, 'assets');
const stamp = path.join(out, '.build-stamp');
// chart.js exports no subpath for its files: read from where npm installs it.
const chartJs = path.join(root, 'node_modules/chart.js/dist/chart.umd.min.js');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

if (process.argv.includes('--when-stale') && existsSync(stamp)) {
  const builtAt = statSync(stamp).mtimeMs;
  if ([...files(source), chartJs].every((file) => statSync(file).mtimeMs <= builtAt)) process.exit(0);
}

const startedAt = new Date();
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(source, 'tsconfig.json')], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
mkdirSync(assets, { recursive: true });
copyFileSync(path.join(source, 'index.html'), path.join(out, 'index.html'));
copyFileSync(path.join(source, 'style.css'), path.join(assets, 'style.css'));
copyFileSync(chartJs, path.join(assets, 'chart.umd.min.js'));
writeFileSync(stamp, `${startedAt.toISOString()}\n`);
