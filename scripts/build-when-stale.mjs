// `npm start`, `npm run cli` and `npm run bench` compile only when the build is stale: when a
// source file the build compiles (or its tsconfig, or the installed dependencies) changed after
// the last build, when the set of those files changed, or when an output is missing. tsc's own
// incremental check reads every file and costs seconds; this costs a stat per file.
//
// Plain JavaScript, because it runs before anything is compiled. Usage (from the project root):
//   node scripts/build-when-stale.mjs [--project tsconfig.build.json]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const root = process.cwd();
const projectIndex = process.argv.indexOf('--project');
const project = path.resolve(root, projectIndex === -1 ? 'tsconfig.build.json' : process.argv[projectIndex + 1]);

function fail(message) {
  process.stderr.write(`build-when-stale: ${message}\n`);
  process.exit(1);
}

/** The config file and those it extends, which decide the output as much as the sources do. */
function configChain(file) {
  const chain = [file];
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) fail(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parents = config.extends === undefined ? [] : Array.isArray(config.extends) ? config.extends : [config.extends];
  for (const parent of parents) {
    // Only relative paths; a package (e.g. @tsconfig/node20) changes with the dependencies, which are watched below.
    if (parent.startsWith('.'))
      chain.push(...configChain(path.resolve(path.dirname(file), parent.endsWith('.json') ? parent : `${parent}.json`)));
  }
  return chain;
}

const parsed = ts.getParsedCommandLineOfConfigFile(
  project,
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')) },
);
if (parsed.errors.length > 0)
  fail(parsed.errors.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')).join('\n'));
const { outDir, rootDir, tsBuildInfoFile } = parsed.options;
if (!outDir) fail(`${project} sets no outDir`);

const sources = parsed.fileNames.map((file) => path.resolve(file)).sort();
const stampFile = path.join(outDir, '.build-stamp.json');
// npm rewrites this file on every install: dependencies changed since the build.
const installed = path.join(root, 'node_modules', '.package-lock.json');
const inputs = [...sources, ...configChain(project), ...(existsSync(installed) ? [installed] : [])];

/** Where tsc writes a source's JavaScript (known only when the config names its rootDir). */
function outputOf(source) {
  if (!rootDir || source.endsWith('.d.ts')) return undefined;
  return path
    .join(outDir, path.relative(rootDir, source))
    .replace(/\.(m|c)?tsx?$/, (extension) => (extension.startsWith('.m') ? '.mjs' : extension.startsWith('.c') ? '.cjs' : '.js'));
}

function relative(file) {
  return path.relative(root, file);
}

/** Why the build is stale, or undefined when it is current. `full`: tsc must not trust its incremental state. */
function staleness() {
  const missing = () => sources.map(outputOf).find((output) => output !== undefined && !existsSync(output));
  // Built by plain tsc (`npm run build`, `npm test`), or never: tsc's incremental state may serve.
  if (!existsSync(stampFile)) return { why: existsSync(outDir) ? 'built without a stamp' : 'no build yet', full: missing() !== undefined };
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return { why: 'the last build left no readable stamp', full: missing() !== undefined };
  }
  const before = new Set(stamp.sources);
  const added = sources.map(relative).filter((file) => !before.has(file));
  const removed = stamp.sources.filter((file) => !sources.includes(path.resolve(root, file)));
  if (added.length > 0 || removed.length > 0)
    return {
      why: `files ${[...added.map((f) => `+${f}`), ...removed.map((f) => `-${f}`)].slice(0, 3).join(', ')} since the last build`,
      full: false,
    };
  const absent = missing();
  // tsc's incremental build does not write again an output it believes it wrote already.
  if (absent) return { why: `${relative(absent)} is missing`, full: true };
  const builtAt = statSync(stampFile).mtimeMs;
  const changed = inputs.filter((file) => statSync(file).mtimeMs > builtAt);
  if (changed.length > 0)
    return {
      why: `${relative(changed[0])}${changed.length > 1 ? ` and ${changed.length - 1} more` : ''} changed since the last build`,
      full: false,
    };
  return undefined;
}

const stale = staleness();
if (stale) {
  process.stderr.write(`compiling: ${stale.why}\n`);
  // Taken before tsc reads anything: a file saved during the build is newer than the stamp.
  const startedAt = new Date();
  if (stale.full && tsBuildInfoFile) rmSync(tsBuildInfoFile, { force: true });
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  writeFileSync(stampFile, `${JSON.stringify({ sources: sources.map(relative) }, null, 2)}\n`);
  utimesSync(stampFile, startedAt, startedAt);
}
