import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.js';

const BUILT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../dist/libs/read-model/src/postgres/data-dir-lock.js');

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bildirim-lock-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

function lockFile(dir: string): string {
  return path.join(dir, 'owner.lock');
}

describe('lockDataDir', () => {
  it('makes this process the owner until release, and leaves nothing behind', async () => {
    const dir = freshDir();
    const lock = await lockDataDir(dir);
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second owner in the same process', async () => {
    const dir = freshDir();
    const lock = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(DataDirInUseError);
    lock.release();
    (await lockDataDir(dir)).release();
  });

  it('refuses while a live process holds it, naming its pid and port', async () => {
    const dir = freshDir();
    // The process that runs jest: alive for as long as this spec.
    writeFileSync(lockFile(dir), `${JSON.stringify({ pid: process.ppid })}\n`);
    const refused = await lockDataDir(dir, (pid) => (pid === process.ppid ? 5433 : undefined)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as DataDirInUseError).message).toBe(
      `DATA_DIR ${dir} is in use by a running process (pid ${process.ppid}, PostgreSQL on port 5433). ` +
        'Stop it first, or give this process another DATA_DIR, or point it at that server with DATABASE_URL.',
    );
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8'))).toEqual({ pid: process.ppid });
  });

  it('takes over the lock of a process that died (SIGKILL) and of an earlier process with a reused pid', async () => {
    for (const stale of [{ pid: deadPid() }, { pid: process.pid }, { pid: process.ppid, started: '1' }]) {
      const dir = freshDir();
      writeFileSync(lockFile(dir), `${JSON.stringify(stale)}\n`);
      const lock = await lockDataDir(dir);
      expect({ stale, owner: JSON.parse(readFileSync(lockFile(dir), 'utf8')).pid }).toEqual({ stale, owner: process.pid });
      lock.release();
      expect({ stale, left: readdirSync(dir) }).toEqual({ stale, left: [] });
    }
  });

  it('lets exactly one of several processes take over one stale lock at once', async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build first (npm run build)`);
    const dir = freshDir();
    writeFileSync(lockFile(dir), `${JSON.stringify({ pid: deadPid() })}\n`);
    // Each contender takes the lock or is refused, holds it a moment, and says which.
    const contender = `
      const { lockDataDir } = await import(${JSON.stringify(BUILT)});
      try {
        const lock = await lockDataDir(${JSON.stringify(dir)});
        console.log('owner');
        await new Promise((resolve) => setTimeout(resolve, 1500));
        lock.release();
      } catch (error) {
        console.log(error.code === 'DATA_DIR_IN_USE' ? 'refused' : 'failed: ' + error.message);
      }`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', contender], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        // 'close', not 'exit': a child's stdout may still hold its last line when 'exit' fires.
        return new Promise<string>((resolve) => child.on('close', () => resolve(out.trim())));
      }),
    );
    expect(answers.sort()).toEqual(['owner', 'refused', 'refused', 'refused', 'refused', 'refused']);
    expect(readdirSync(dir)).toEqual([]);
  });
});
