import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root; the children run the build under dist/ (`npm test` makes it first). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** A file of the build, e.g. `distPath('apps/projector/src/main.js')`. */
export function distPath(relative: string): string {
  return path.join(REPO_ROOT, 'dist', relative);
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningChild {
  child: ChildProcess;
  exited: Promise<ChildExit>;
  /** stdout and stderr so far, interleaved as they came */
  output(): string;
}

/**
 * The Node processes a spec starts (projectors, the CLI), each with only the environment it is
 * given, so nothing of the spec's own environment leaks in. `killAll` (in afterAll) ends those
 * a failed spec left running.
 */
export class ChildProcesses {
  private readonly running = new Set<ChildProcess>();

  start(script: string, args: string[], env: Record<string, string>): RunningChild {
    let output = '';
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.running.add(child);
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<ChildExit>((resolve) =>
      child.once('exit', (code, signal) => {
        this.running.delete(child);
        resolve({ code, signal });
      }),
    );
    return { child, exited, output: () => output };
  }

  /** Runs a command to its end; a failure carries its output. */
  async run(script: string, args: string[], env: Record<string, string>): Promise<string> {
    const started = this.start(script, args, env);
    const exit = await started.exited;
    if (exit.code !== 0)
      throw new Error(`${path.basename(script)} ${args.join(' ')} ended with ${exit.signal ?? `code ${exit.code}`}:\n${started.output()}`);
    return started.output();
  }

  killAll(): void {
    for (const child of this.running) child.kill('SIGKILL');
  }
}
