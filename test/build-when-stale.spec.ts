import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * scripts/build-when-stale.mjs (what `npm start`, `npm run cli` and `npm run bench` run first),
 * on a small project of its own: it compiles with the real tsc when the build is stale and does
 * nothing, quickly, when it is current. Steps run in order, each on the previous one's build.
 */
const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scripts/build-when-stale.mjs');

let project: string;

function run() {
  const result = spawnSync(process.execPath, [SCRIPT], { cwd: project, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(relative: string, text: string): void {
  mkdirSync(path.dirname(path.join(project, relative)), { recursive: true });
  writeFileSync(path.join(project, relative), text);
}

const out = (relative: string) => path.join(project, 'dist', relative);

/** Sets a file's modification time `agoMs` back, as a copy that keeps old times would. */
function age(file: string, agoMs: number): void {
  const at = new Date(Date.now() - agoMs);
  utimesSync(file, at, at);
}

/** The sources were written twenty minutes ago and built ten minutes ago; what is written now is newer. */
function buildAWhileAgo(): void {
  for (const entry of readdirSync(project, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !path.relative(project, entry.parentPath).startsWith('dist'))
      age(path.join(entry.parentPath, entry.name), 1_200_000);
  }
  age(out('.build-stamp.json'), 600_000);
}

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'bildirim-build-'));
  write('package.json', '{ "type": "module" }\n');
  write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        types: [],
        rootDir: '.',
        outDir: 'dist',
      },
    }) + '\n',
  );
  write(
    'tsconfig.build.json',
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { incremental: true, tsBuildInfoFile: 'dist/.tsbuildinfo' },
      include: ['src/**/*.ts'],
      exclude: ['**/*.spec.ts'],
    }) + '\n',
  );
  write('src/a.ts', 'export const a: number = 1;\n');
  write('src/b.ts', "import { a } from './a.js';\nexport const b = a + 1;\n");
  write('src/b.spec.ts', 'export const notBuilt = true;\n');
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('build-when-stale', () => {
  it('compiles when there is no build yet', () => {
    expect(run()).toEqual({ status: 0, stdout: '', stderr: 'compiling: no build yet\n' });
    expect(readFileSync(out('src/b.js'), 'utf8')).toContain('a + 1');
  });

  it('does nothing while the build is current, also when a file it does not compile changes', () => {
    const builtAt = statSync(out('src/a.js')).mtimeMs;
    buildAWhileAgo();
    write('src/b.spec.ts', 'export const notBuilt = false;\n');
    expect(run()).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(statSync(out('src/a.js')).mtimeMs).toBe(builtAt);
  });

  it('compiles a source saved after the build', () => {
    buildAWhileAgo();
    write('src/a.ts', 'export const a: number = 41;\n');
    expect(run()).toEqual({ status: 0, stdout: '', stderr: 'compiling: src/a.ts changed since the last build\n' });
    expect(readFileSync(out('src/a.js'), 'utf8')).toContain('41');
    expect(run().stderr).toBe('');
  });

  it('compiles when the config changes', () => {
    buildAWhileAgo();
    write('tsconfig.json', readFileSync(path.join(project, 'tsconfig.json'), 'utf8'));
    expect(run().stderr).toBe('compiling: tsconfig.json changed since the last build\n');
    expect(run().stderr).toBe('');
  });

  it('compiles a new source even with an old modification time', () => {
    write('src/c.ts', 'export const c = 3;\n');
    age(path.join(project, 'src/c.ts'), 3_600_000);
    expect(run()).toEqual({ status: 0, stdout: '', stderr: 'compiling: files +src/c.ts since the last build\n' });
    expect(existsSync(out('src/c.js'))).toBe(true);
  });

  it('compiles everything again when an output is missing (tsc alone would not rewrite it)', () => {
    rmSync(out('src/b.js'));
    expect(run()).toEqual({ status: 0, stdout: '', stderr: `compiling: ${path.join('dist', 'src', 'b.js')} is missing\n` });
    expect(existsSync(out('src/b.js'))).toBe(true);
  });

  it('takes over a build that plain tsc made (npm run build leaves no stamp)', () => {
    rmSync(out('.build-stamp.json'));
    expect(run()).toEqual({ status: 0, stdout: '', stderr: 'compiling: built without a stamp\n' });
    expect(run()).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it("fails with tsc's exit code and errors, and tries again next time", () => {
    buildAWhileAgo();
    write('src/a.ts', "export const a: number = 'not a number';\n");
    const failed = run();
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toContain('src/a.ts');
    expect(run().stderr).toBe('compiling: src/a.ts changed since the last build\n');
    write('src/a.ts', 'export const a: number = 2;\n');
    expect(run().status).toBe(0);
    expect(run()).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});
