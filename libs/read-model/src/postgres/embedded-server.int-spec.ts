import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive } from './data-dir-lock.js';

/**
 * The embedded server runs in a session of its own, so Ctrl-C reaches only the process that
 * owns it. These specs run that process as the built code (a child of the spec) and signal it.
 */
const BUILT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../dist/libs/read-model/src/postgres/embedded-server.js',
);

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) {
    const pid = postmasterPid(dir);
    if (pid !== undefined && isAlive(pid)) {
      process.kill(pid, 'SIGINT');
      await waitUntilDead(pid, 20_000);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function waitUntilDead(pid: number, timeoutMs: number): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs && isAlive(pid); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  return !isAlive(pid);
}

interface Owner {
  dataDir: string;
  /** Resolves once the server runs, with the postmaster's pid. */
  running: Promise<number>;
  signal(signal: NodeJS.Signals): void;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/** A process that starts an embedded server and waits; `handler` is code run before the start (as `cli rebuild` does). */
function owner(handler = ''): Owner {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build first (npm run build)`);
  // Not under /root (mode 700): as root the server runs as the `postgres` OS user.
  const dataDir = mkdtempSync('/tmp/bildirim-embedded-spec-');
  chmodSync(dataDir, 0o755);
  dirs.push(dataDir);
  const code = `
    const { startEmbeddedPostgres } = await import(${JSON.stringify(BUILT)});
    let server;
    ${handler}
    server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, initdbFlags: ['--no-sync'], log: () => undefined });
    console.log('running');
    setInterval(() => undefined, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let announce: () => void = () => undefined;
  const announced = new Promise<void>((resolve) => (announce = resolve));
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.includes('running\n')) announce();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal, output })),
  );
  const running = Promise.race([
    announced.then(() => postmasterPid(dataDir) ?? -1),
    exit.then((ended) => {
      throw new Error(`the owner exited before its server ran: ${JSON.stringify(ended)}`);
    }),
  ]);
  return { dataDir, running, signal: (signal) => child.kill(signal), exit };
}

describe('the embedded server and the signals of its owner', () => {
  it('is not stopped by a signal its owner handles: the owner stops it in its own time', async () => {
    const process_ = owner(`
      process.once('SIGINT', () => {
        console.log('closing the pools first');
        setTimeout(() => server.stop().then(() => { console.log('stopped'); process.exit(0); }), 500);
      });`);
    const postmaster = await process_.running;
    expect(postmaster).toBeGreaterThan(0);
    process_.signal('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 250));
    // Still serving while its owner closes its pools.
    expect(isAlive(postmaster)).toBe(true);
    const ended = await process_.exit;
    expect(ended).toEqual({ code: 0, signal: null, output: 'running\nclosing the pools first\nstopped\n' });
    expect(await waitUntilDead(postmaster, 10_000)).toBe(true);
    expect(existsSync(path.join(process_.dataDir, 'owner.lock'))).toBe(false);
  }, 120_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'is stopped before an owner without a handler dies of %s',
    async (signal) => {
      const process_ = owner();
      const postmaster = await process_.running;
      expect(postmaster).toBeGreaterThan(0);
      process_.signal(signal);
      const ended = await process_.exit;
      expect(ended).toEqual({ code: null, signal, output: 'running\n' });
      expect(await waitUntilDead(postmaster, 10_000)).toBe(true);
      expect(existsSync(path.join(process_.dataDir, 'pg', 'postmaster.pid'))).toBe(false);
      expect(existsSync(path.join(process_.dataDir, 'owner.lock'))).toBe(false);
    },
    120_000,
  );
});
