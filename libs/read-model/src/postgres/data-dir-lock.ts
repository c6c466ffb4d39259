import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Another live process owns the DATA_DIR (an API, a projector or a CLI command that started
 * the embedded server). An operator's mistake, not a fault: the message says what to do.
 */
export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';

  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
    port?: number,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by a running process (pid ${ownerPid}${port === undefined ? '' : `, PostgreSQL on port ${port}`}). ` +
        'Stop it first, or give this process another DATA_DIR, or point it at that server with DATABASE_URL.',
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  /** Frees the folder for the next owner; once the embedded server has stopped. */
  release(): void;
}

const LOCK_FILE = 'owner.lock';
const ATTEMPTS = 50;
/** Locks this process holds, to tell its own second start from a previous incarnation's leftovers. */
const held = new Set<string>();

/** Who holds a lock: the pid, and on Linux the process's start time, since pids are reused. */
interface Owner {
  pid: number;
  started?: string;
}

/** The fields of /proc/<pid>/stat after the command name, where there is a /proc. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    // No /proc (macOS), or the process is gone.
    return undefined;
  }
}

/**
 * The process exists and has not exited. A server started by pg_ctl is nobody's child here:
 * once it exits it may linger as a zombie until init reaps it, which signal 0 still finds.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return procStat(pid)?.[0] !== 'Z';
}

/**
 * The start time of a process in clock ticks since boot (/proc/<pid>/stat, field 22). In a
 * container that restarts, the new process may get the pid of the one that wrote the lock
 * (often 1); its start time differs. Undefined without /proc: the pid alone decides.
 */
function processStart(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

function ownerIsAlive(owner: Owner): boolean {
  if (!isAlive(owner.pid)) return false;
  const started = owner.started === undefined ? undefined : processStart(owner.pid);
  return started === undefined || started === owner.started;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (Reflect.get(error, 'code') as string | undefined) : undefined;
}

/** Who a lock file names, or undefined once the file is gone. */
function readOwner(file: string): Owner | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  // Written whole before it is linked into place (see `lockDataDir`), so anything else is damage.
  const parsed: unknown = JSON.parse(text);
  const pid: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'pid') : undefined;
  const started: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'started') : undefined;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) {
    throw new Error(`${file} does not name a process; delete it if no process uses ${path.dirname(file)}`);
  }
  return { pid, ...(typeof started === 'string' ? { started } : {}) };
}

function ownerRecord(): string {
  const started = processStart(process.pid);
  return `${JSON.stringify({ pid: process.pid, ...(started === undefined ? {} : { started }) })}\n`;
}

function unlinkIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/**
 * Removes the lock a dead process left (a SIGKILL). Two starts may find the same dead owner:
 * only the one that creates `owner.lock.takeover-<dead pid>` removes it, and only while it
 * still names that pid — never a lock a live process has taken meanwhile. A takeover file
 * whose maker died is removed by the next start.
 */
function removeStaleLock(lockFile: string, dead: Owner): void {
  const takeover = `${lockFile}.takeover-${dead.pid}`;
  try {
    writeFileSync(takeover, ownerRecord(), { flag: 'wx' });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const maker = readOwner(takeover);
    if (maker !== undefined && !ownerIsAlive(maker)) unlinkIfPresent(takeover);
    return;
  }
  try {
    const current = readOwner(lockFile);
    if (current?.pid === dead.pid && current.started === dead.started) unlinkIfPresent(lockFile);
  } finally {
    unlinkIfPresent(takeover);
  }
}

/**
 * Makes this process the only owner of `dataDir` until `release()` — from before initdb until
 * after the server stopped, the moments PostgreSQL's own postmaster.pid does not cover. The
 * lock file names the owner; it is written whole under a temporary name and linked into
 * place, which fails if a lock exists. A lock whose process is gone is stale and taken over.
 * `portOf` names the owner's PostgreSQL port for the message, when it is known.
 */
export async function lockDataDir(
  dataDir: string,
  portOf: (ownerPid: number) => number | undefined = () => undefined,
): Promise<DataDirLock> {
  const lockFile = path.join(dataDir, LOCK_FILE);
  const candidate = `${lockFile}.${process.pid}`;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    writeFileSync(candidate, ownerRecord());
    let taken = false;
    try {
      linkSync(candidate, lockFile);
      taken = true;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    } finally {
      unlinkIfPresent(candidate);
    }
    if (taken) {
      held.add(lockFile);
      return {
        release: () => {
          held.delete(lockFile);
          if (readOwner(lockFile)?.pid === process.pid) unlinkIfPresent(lockFile);
        },
      };
    }
    const owner = readOwner(lockFile);
    if (owner === undefined) continue; // released meanwhile
    // Our own pid in a lock we do not hold: left by an earlier process that had the same pid.
    const live = owner.pid === process.pid ? held.has(lockFile) : ownerIsAlive(owner);
    if (live) throw new DataDirInUseError(dataDir, owner.pid, portOf(owner.pid));
    removeStaleLock(lockFile, owner);
    // Another start may be taking the same stale lock over: let it finish before looking again.
    await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
  }
  throw new Error(`could not take ${lockFile} after ${ATTEMPTS} attempts; delete it if no process uses ${dataDir}`);
}
